"""Whole articles written for the tests, each with several quotation-mark
(QT) and attribution (AT) defects and the tricky cases that must stay
silent: quotations over several paragraphs, nested quotes, quotes in
headlines, scare quotes, apostrophes, inch and foot marks, people who share
a surname, a title used twice, paraphrase.

``tests/fixtures/quotes/<name>.txt|.md`` is the article, ``<name>.expected``
its findings (one ``LINE:COL CODE`` per line, ``#`` comments allowed), and
``<name>.fixed.<ext>`` the exact text after ``--fix --unsafe-fixes`` with
the QT and AT families selected (preview rules included)."""

from __future__ import annotations

import pytest

from artlint.registry import BUILTIN
from article_fixtures import articles as article_files, assert_fixed, expected
from conftest import FIXTURES, lint, settings

ARTICLES = FIXTURES / "quotes"
FAMILIES = ["QT", "AT"]


def _family_codes() -> set[str]:
    return {code for code in BUILTIN.rules if code[:2] in FAMILIES}


def test_there_are_enough_articles():
    articles = article_files(ARTICLES)
    assert len(articles) >= 10
    assert {p.suffix for p in articles} == {".txt", ".md"}
    for p in articles:
        assert p.with_suffix(".expected").is_file(), p.name
        assert p.with_name(p.stem + ".fixed" + p.suffix).is_file(), p.name


def test_selecting_the_families_enables_every_rule():
    # Preview rules (off by default) are switched on by the family prefix.
    enabled = set(settings(select=FAMILIES).enabled)
    assert _family_codes() <= enabled


def test_every_rule_is_exercised():
    seen = {code for p in article_files(ARTICLES) for _, _, code in expected(p)}
    assert _family_codes() - seen == set()


@pytest.mark.parametrize("path", article_files(ARTICLES), ids=lambda p: p.name)
def test_article_findings(path):
    text = path.read_text(encoding="utf-8")
    assert lint(text, path=path.name, select=FAMILIES) == expected(path)


@pytest.mark.parametrize("path", article_files(ARTICLES), ids=lambda p: p.name)
def test_article_fixed(path):
    assert_fixed(path, FAMILIES, unsafe=True)
