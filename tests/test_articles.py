"""Whole articles written for the tests, each with several headline and
boilerplate defects and tricky non-defects.

``tests/fixtures/articles/<name>.txt|.md`` is the article,
``<name>.expected`` its findings (one ``LINE:COL CODE`` per line, ``#``
comments allowed), and ``<name>.fixed.<ext>`` the exact text after
``--fix`` with the HL and BP families selected."""

from __future__ import annotations

import pytest

from article_fixtures import articles as article_files, assert_fixed, expected
from conftest import FIXTURES, lint

ARTICLES = FIXTURES / "articles"
FAMILIES = ["HL", "BP"]


def test_there_are_enough_articles():
    articles = article_files(ARTICLES)
    assert len(articles) >= 8
    assert {p.suffix for p in articles} == {".txt", ".md"}


@pytest.mark.parametrize("path", article_files(ARTICLES), ids=lambda p: p.name)
def test_article_findings(path):
    text = path.read_text(encoding="utf-8")
    assert lint(text, path=path.name, select=FAMILIES) == expected(path)


@pytest.mark.parametrize("path", article_files(ARTICLES), ids=lambda p: p.name)
def test_article_fixed(path):
    assert_fixed(path, FAMILIES)
