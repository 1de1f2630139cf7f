"""The engine: rule isolation, the prose mask as a hard limit for fixes,
suppression semantics."""

from __future__ import annotations

from artlint.config import Layer, build_settings
from artlint.document import Document
from artlint.engine import lint_document
from artlint.registry import RuleMeta
from artlint.types import Edit, Fix, Severity, Span, Violation

from conftest import lint, settings, fix


def _settings_with(func, code="ZZ001", name="test-rule"):
    s = settings()
    registry = s.registry.copy()
    registry.add(RuleMeta(code=code, name=name, summary="test", doc="", severity=Severity.WARNING,
                          fixable="always", default_enabled=True, func=func))
    s.registry = registry
    s.enabled = dict(s.enabled, **{code: registry.rules[code]})
    s.severity = dict(s.severity, **{code: Severity.WARNING})
    return s


def test_a_rule_that_raises_is_reported_as_XX006_and_others_still_run():
    def broken(doc, opts):
        yield Violation(Span(0, 1), "first")
        raise RuntimeError("boom")

    s = _settings_with(broken)
    doc = Document("a.txt", "The council  met.\n")
    diags = lint_document(doc, s)
    codes = [(d.code, d.message) for d in diags]
    assert ("XX006", "ZZ001 failed: RuntimeError: boom") in codes
    assert ("ZZ001", "first") in codes
    assert ("WS003", "2 spaces where one belongs") in codes


def test_a_span_outside_the_text_is_a_rule_error_not_a_crash():
    def wild(doc, opts):
        yield Violation(Span(0, 999), "too far")

    diags = lint_document(Document("a.txt", "short\n"), _settings_with(wild))
    assert [d.code for d in diags] == ["XX006"]
    assert "outside the text" in diags[0].message


def test_fixes_that_touch_masked_text_are_dropped_but_the_finding_stays():
    def edits_code(doc, opts):
        at = doc.text.index("x  y")
        yield Violation(Span(at, at + 4), "in code", Fix.safe("t", Edit.replace(at + 1, at + 3, " ")))

    text = "Prose here.\n\n```\nx  y\n```\n"
    diags = lint_document(Document("a.md", text), _settings_with(edits_code))
    (d,) = [d for d in diags if d.code == "ZZ001"]
    assert d.fix is None


def test_code_blocks_inline_code_urls_and_front_matter_are_not_prose():
    text = (
        "---\ntitle: A  title\n---\n\n"
        "Use `a  b` and see https://example.com/a%20%20b or [this](http://x.y/a  \"t\").\n\n"
        "```\ncode  here\n\n\n\n```\n\n"
        "    indented  code\n\n"
        "Done.\n"
    )
    assert lint(text, path="a.md") == []


def test_disable_and_enable_ranges():
    text = (
        "The mayor  spoke.\n\n"
        "<!-- artlint-disable WS003 -->\n\n"
        "The mayor  spoke.\n\n"
        "<!-- artlint-enable WS003 -->\n\n"
        "The mayor  spoke.\n"
    )
    assert lint(text, path="a.md", select=["WS003", "XX002"]) == [(1, 10, "WS003"), (9, 10, "WS003")]


def test_disable_all_without_codes_until_the_end():
    text = "The mayor  spoke.\n\n<!-- artlint-disable -->\n\nThe mayor  spoke.\nThe the end.\n"
    assert lint(text, path="a.md", select=["WS", "XX"]) == [(1, 10, "WS003")]


def test_suppressions_are_markdown_only():
    text = "<!-- artlint-disable-next-line WS003 -->\nThe mayor  spoke.\n"
    assert lint(text, path="a.txt", select=["WS003", "XX002"]) == [(2, 10, "WS003")]


def test_per_file_ignores_match_globs_relative_to_the_config(tmp_path):
    s = build_settings({"per-file-ignores": {"drafts/*.md": ["WS003"], "*.txt": ["multiple-spaces"]}},
                       tmp_path, None, Layer())
    assert s.ignored_for(str(tmp_path / "drafts" / "a.md")) == frozenset({"WS003"})
    assert s.ignored_for(str(tmp_path / "deep" / "b.txt")) == frozenset({"WS003"})
    assert s.ignored_for(str(tmp_path / "a.md")) == frozenset()


def test_unused_suppression_in_another_comment_is_no_directive():
    """'<!-- <!-- artlint-disable -->' is one HTML comment: it disables
    nothing, and XX002 does not offer to cut the inner part out of it."""
    text = "<!-- <!-- artlint-disable-next-line WS003 -->\nThe mayor  said the budget was final.\n"
    assert lint(text, path="a.md", select=["WS003", "XX002"]) == [(2, 10, "WS003")]


def test_unused_suppression_before_text_on_its_line_is_an_unsafe_fix():
    """Removing the comment would open a code fence with the rest of the
    article in it: the fix is offered, but only as unsafe."""
    text = "<!-- artlint-disable -->```\nThe mayor said the budget was final.\n"
    assert lint(text, path="a.md", select=["WS003", "XX002"]) == [(1, 1, "XX002")]
    assert fix(text, path="a.md", select=["WS003", "XX002"]) == text
    assert fix(text, path="a.md", select=["WS003", "XX002"], unsafe=True) == (
        "```\nThe mayor said the budget was final.\n")
