"""Cases found by writing the QT/AT article fixtures (tests/fixtures/quotes/):
each was wrong once."""

from __future__ import annotations

import pytest

from conftest import diagnostics, fix, lint


@pytest.mark.parametrize(
    ("code", "path", "text", "expected", "fixed"),
    [
        # An unclosed quotation, a paragraph of narration, then a new quotation:
        # the new one does not carry the first on (it was read as a continuation).
        ("QT001", "a.txt",
         ("Flood Hits Town\n\n"
          "A resident said water came in fast. \u201cWe just stood on the stairs, she said.\n\n"
          "The river peaked at 4.1 metres.\n\n"
          "\u201cWe are pumping all night,\u201d a fire officer said.\n"),
         [(3, 37, "QT001")], None),
        # A heading in between ends the quotation too.
        ("QT001", "a.md",
         ('---\ntitle: Festival Opens\n---\n\n'
          'The hall has 420 seats. "We have wanted a room like this for years, Haddad said.\n\n'
          '## Tickets\n\n'
          '"Day passes are the best value," the box office manager said.\n'),
         [(5, 25, "QT001")], None),
        # Still silent: a quotation over several paragraphs, each opened ...
        ("QT001", "a.txt",
         ("Statement Issued\n\n"
          "The club said: \u201cHe is one of the best managers in the world.\n\n"
          "\u201cHe has won titles in four countries.\u201d\n"),
         [], None),
        # ... also past a short line of page furniture that ends no sentence.
        ("QT001", "a.txt",
         ("Statement Issued\n\n"
          "The club said: \u201cHe is one of the best managers in the world.\n\n"
          "Club statement\n\n"
          "\u2014 Harbour City FC (@HarbourCityFC) November 20, 2019\n\n"
          "\u201cHe has won titles in four countries.\u201d\n"),
         [], None),
        # A straight mark where the closing one belongs becomes a straight closing
        # mark (it became a curly one, mixing the styles).
        ("QT002", "a.txt",
         '"Something kept moving that should not have been moving "said Halvorsen.\n',
         [(1, 57, "QT002")], '"Something kept moving that should not have been moving," said Halvorsen.\n'),
        # A reversed opening mark after a space: QT003 reports it; the space is
        # between words, not inside a quotation.
        ("QT006", "a.txt", "Funding for the programme was \u201ddwindling.\u201d\n", [], None),
        ("QT006", "a.txt", "Another official said: \u201dBird flu first, then the floods.\u201d\n", [], None),
        # Still reported: a space inside a quotation that is open.
        ("QT006", "a.txt", "\u201cWe keep going until it is clear, \u201d a fire officer said.\n",
         [(1, 34, "QT006")], "\u201cWe keep going until it is clear,\u201d a fire officer said.\n"),
        # "the chair of governors, Martin Oduya, said": a name in apposition
        # attributes the quotation (only "Oduya, the chair, said" did).
        ("AT001", "a.txt",
         "The chair of governors, Martin Oduya, said the rating was \u201ca reward for the children.\u201d Oduya added.\n",
         [(1, 88, "AT001")],
         "The chair of governors, Martin Oduya, said the rating was \u201ca reward for the children.\u201d\n"),
        # Still silent: someone else named in apposition.
        ("AT001", "a.txt",
         "The chair of governors, Martin Oduya, said the rating was \u201ca reward for the children.\u201d Fairweather.\n",
         [], None),
        # A day or a sentence's first word before a title is no part of it: the
        # same title, not "On Friday Foreign Minister" against "Kestrian Foreign Minister".
        ("AT004", "a.txt",
         ("Kestrian Foreign Minister Andriy Shevchuk arrived in Geneva.\n\n"
          "On Friday Foreign Minister Andriy Shevchuk briefed parliament.\n"),
         [], None),
        ("AT004", "a.txt",
         ("Finance Minister Ana Ruiz presented the budget.\n\n"
          "The Minister Ana Ruiz defended it on Tuesday.\n"),
         [], None),
        # Still reported: two different titles, with a day before the second.
        ("AT004", "a.txt",
         ("Finance Minister Ana Ruiz presented the budget.\n\n"
          "On Friday Prime Minister Ana Ruiz defended it.\n"),
         [(3, 11, "AT004")], None),
    ],
)
def test_qt_at_regressions(code, path, text, expected, fixed):
    assert lint(text, path=path, select=[code]) == expected
    assert fix(text, path=path, select=[code], unsafe=True) == (text if fixed is None else fixed)


def test_reversed_opening_mark_is_not_a_space_inside():
    # Both marks close nothing (QT003); the space before the first is not inside a quotation.
    text = "Funding for the programme was \u201ddwindling.\u201d\n"
    assert lint(text, select=["QT"]) == [(1, 31, "QT003"), (1, 42, "QT003")]


def test_speaker_suggestion_skips_the_person_spoken_of():
    # The first person named in the paragraph before is the president himself;
    # the suggestion is the next one (it was none at all).
    text = ("Asked whether President Emil Varga could meet his counterpart, Foreign Minister Tomas Reiner was careful.\n\n"
            "The Valdorian president replied, \u201cPresident Varga has always been ready to talk.\u201d\n")
    _, diags = diagnostics(text, select=["AT003"])
    assert [d.code for d in diags] == ["AT003"]
    assert "perhaps Tomas Reiner" in diags[0].message


def test_a_compass_word_is_not_a_given_name():
    """'West Antarctic' and 'West Antarctica' are a region and its adjective,
    not one person spelt two ways; the same pair as people still is."""
    region = ("Ice Shelf Thins\n\n"
              "The West Antarctic ice sheet lost more ice this year, researchers said.\n\n"
              "Warm water is reaching the coast of West Antarctica from below, they said.\n")
    assert lint(region, select=["AT002"]) == []
    people = ("Talks Resume\n\n"
              "Sergei Lavrov met his counterpart on Monday, and afterwards Lavrov said little.\n\n"
              "The talks ended without a deal, and Sergey Lavrov left for Moscow, officials said.\n")
    assert lint(people, select=["AT002"]) == [(5, 37, "AT002")]


def test_names_one_edit_away_are_found_as_a_scan_finds_them():
    """AT002's index of names gives the name a scan of all names in the
    order seen would give, before and after it switches to the index."""
    import random

    from artlint.rules.at import _distance_one, _NearNames

    rng = random.Random(7)
    names = ["".join(rng.choice("abcde") for _ in range(rng.randint(3, 6))) for _ in range(400)]
    index, seen = _NearNames(), []
    for name in names:
        expected = next((n for n in seen if _distance_one(n, name)), None)
        assert index.first_near(name) == expected, name
        index.add(name)
        if name not in seen:
            seen.append(name)
