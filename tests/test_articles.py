"""Whole articles written for the tests, each with several headline and
boilerplate defects and tricky non-defects.

``tests/fixtures/articles/<name>.txt|.md`` is the article,
``<name>.expected`` its findings (one ``LINE:COL CODE`` per line, ``#``
comments allowed), and ``<name>.fixed.<ext>`` the exact text after
``--fix`` with the HL and BP families selected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, fix, lint

ARTICLES = FIXTURES / "articles"
FAMILIES = ["HL", "BP"]


def _articles() -> list[Path]:
    return sorted(p for p in ARTICLES.glob("*.*")
                  if p.suffix in (".txt", ".md") and ".fixed." not in p.name)


def _expected(path: Path) -> list[tuple[int, int, str]]:
    out = []
    for raw in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"(\d+):(\d+)\s+([A-Z]{2}\d{3})", line)
        assert m, f"{path.name}.expected: bad line {raw!r}"
        out.append((int(m.group(1)), int(m.group(2)), m.group(3)))
    return out


def test_there_are_enough_articles():
    articles = _articles()
    assert len(articles) >= 8
    assert {p.suffix for p in articles} == {".txt", ".md"}


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_article_findings(path):
    text = path.read_text(encoding="utf-8")
    assert lint(text, path=path.name, select=FAMILIES) == _expected(path)


@pytest.mark.parametrize("path", _articles(), ids=lambda p: p.name)
def test_article_fixed(path):
    text = path.read_text(encoding="utf-8")
    fixed = path.with_name(path.stem + ".fixed" + path.suffix).read_text(encoding="utf-8")
    got = fix(text, path=path.name, select=FAMILIES)
    assert got == fixed
    assert fix(got, path=path.name, select=FAMILIES) == got
