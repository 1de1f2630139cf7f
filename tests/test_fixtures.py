"""Every rule's fixture: exact diagnostics per case, exact fixed text."""

from __future__ import annotations

import pytest

from artlint.registry import load_builtin_rules

from conftest import FIXTURES, fix, lint
from fixture_format import fixture_files, fixture_select, parse_cases

# Engine diagnostics that no text fixture can produce, and the test file that
# covers each instead.
NO_TEXT_FIXTURE = {
    "XX001": "test_bad_input.py",  # unreadable file
    "XX003": "test_fixer.py",  # fixes that do not converge
    "XX005": "test_bad_input.py",  # file too large
    "XX006": "test_engine.py",  # a rule that raises
    "XX008": "reliability/test_faults.py",
    "XX010": "reliability/test_pathological.py",  # Markdown nested past the parser's limit  # a fixed file that could not be written
    "XX009": "reliability/test_untrusted_config.py",  # a declarative rule stopped by its time limit
    "HL002": "test_cli.py",  # the same headline on two files of a run
    # Grammar needs a LanguageTool server: a loopback one in test_gr.py.
    **{code: "test_gr.py" for code in ("GR001", "GR002", "GR003", "GR004", "GR005", "GR006", "GR009", "XX007")},
}

REGISTRY = load_builtin_rules()
CODES = [m.code for m in REGISTRY]


def _kind(path) -> str:
    return "article.md" if path.suffix == ".md" else "article.txt"


@pytest.mark.parametrize("code", CODES)
def test_every_rule_has_a_fixture(code):
    if code in NO_TEXT_FIXTURE:
        covering = FIXTURES.parent / NO_TEXT_FIXTURE[code]
        assert covering.exists() and code in covering.read_text(encoding="utf-8"), (
            f"{code} has no fixture and {NO_TEXT_FIXTURE[code]} does not test it"
        )
        return
    src, fixed, _ = fixture_files(FIXTURES, code)
    assert src is not None, f"tests/fixtures/{code}.md or .txt is missing"
    assert fixed is not None, f"tests/fixtures/{code}.fixed{src.suffix} is missing"
    cases = parse_cases(src)
    assert any(c.expected for c in cases), f"{src.name} has no case that triggers {code}"
    assert any(not c.expected for c in cases), f"{src.name} has no clean ('#: ok') case"


def _cases():
    for code in CODES:
        src, _, _ = fixture_files(FIXTURES, code)
        if src is None:
            continue
        for case in parse_cases(src):
            yield pytest.param(code, src, case, id=f"{src.name}:{case.header_line}")


@pytest.mark.parametrize(("code", "src", "case"), list(_cases()))
def test_fixture_case(code, src, case):
    got = lint(case.text, path=_kind(src), select=fixture_select(src, code))
    assert got == case.expected, f"{src.name} line {case.header_line}: {case.description}"


def _fixed_cases():
    for code in CODES:
        src, fixed, unsafe = fixture_files(FIXTURES, code)
        if src is None:
            continue
        for target, is_unsafe in ((fixed, False), (unsafe, True)):
            if target is None:
                continue
            before = parse_cases(src)
            after = parse_cases(target, expectations=False)
            assert len(before) == len(after), f"{target.name} has {len(after)} cases, {src.name} {len(before)}"
            for b, a in zip(before, after):
                yield pytest.param(code, src, b, a, is_unsafe, id=f"{target.name}:{a.header_line}")


@pytest.mark.parametrize(("code", "src", "case", "expected", "unsafe"), list(_fixed_cases()))
def test_fixture_fixed(code, src, case, expected, unsafe):
    select = fixture_select(src, code)
    got = fix(case.text, path=_kind(src), select=select, unsafe=unsafe)
    assert got == expected.text, f"{src.name} line {case.header_line}: {case.description}"
    # A fixed point: fixing again changes nothing more.
    assert fix(got, path=_kind(src), select=select, unsafe=unsafe) == got


def test_clean_fixtures_are_silent():
    clean = sorted((FIXTURES / "clean").glob("*.*"))
    assert clean, "tests/fixtures/clean/ holds no articles"
    for path in clean:
        text = path.read_text(encoding="utf-8")
        assert lint(text, path=_kind(path)) == [], path.name
