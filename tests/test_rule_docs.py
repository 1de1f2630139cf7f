"""Every rule documents itself, and its documented example really triggers it."""

from __future__ import annotations

import re

import pytest

from artlint.registry import DOC_SECTIONS, load_builtin_rules

from conftest import lint

REGISTRY = load_builtin_rules()
# Engine diagnostics whose example is a situation, not a text.
SITUATIONAL = {"XX001", "XX003", "XX005", "XX006", "XX008", "XX009", "XX010", "HL002"}
# Grammar findings come from a LanguageTool server (tests/test_gr.py), not from the text alone.
SITUATIONAL |= {"GR001", "GR002", "GR003", "GR004", "GR005", "GR006", "GR009", "XX007"}
_BLOCK_RE = re.compile(r"```(\w*)\n(.*?)```", re.S)


@pytest.mark.parametrize("meta", list(REGISTRY), ids=lambda m: m.code)
def test_every_section_is_there(meta):
    for title in DOC_SECTIONS:
        body = meta.section(title)
        assert body, f"{meta.code} lacks the '## {title}' section"
    assert meta.summary and not meta.summary.endswith(".")


@pytest.mark.parametrize("meta", [m for m in REGISTRY if m.code not in SITUATIONAL], ids=lambda m: m.code)
def test_the_example_triggers_the_rule_and_the_fix_is_clean(meta):
    example = _BLOCK_RE.search(meta.section("Example"))
    instead = _BLOCK_RE.search(meta.section("Use instead"))
    assert example and instead, f"{meta.code}: Example and Use instead need a fenced block"
    select = [meta.code] + (["WS003", "WS007"] if meta.code == "XX002" else [])
    path = "a.md" if example.group(1) == "markdown" else "a.txt"
    text = example.group(2).encode().decode("unicode_escape") if "\\u" in example.group(2) else example.group(2)
    assert meta.code in [c for _, _, c in lint(text, path=path, select=select)]
    fixed = instead.group(2)
    assert meta.code not in [c for _, _, c in lint(fixed, path=path, select=select)]


def test_names_are_unique_and_kebab_case():
    names = [m.name for m in REGISTRY]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", n) for n in names)
