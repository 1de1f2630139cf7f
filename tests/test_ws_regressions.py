"""Cases found by writing the WS fixtures: each was wrong once."""

from __future__ import annotations

import pytest

from conftest import fix, lint

N = "\u00a0"


@pytest.mark.parametrize(
    ("code", "path", "text", "expected", "fixed"),
    [
        # A Markdown line of only spaces is a blank line, and its spaces are trailing whitespace.
        ("WS001", "a.md", "The trial resumed on Monday.\n\n   \nProsecutors called a witness.\n",
         [(3, 1, "WS001")], "The trial resumed on Monday.\n\nProsecutors called a witness.\n"),
        ("WS002", "a.md", "The council met on Monday.\n   \nIt voted to close the library.\n",
         [(2, 1, "WS002")], "The council met on Monday.\n\nIt voted to close the library.\n"),
        # Two trailing spaces are a hard break only when the paragraph goes on.
        ("WS002", "a.md", "Match-day arrangements:\n\n- Kick-off is at 3 p.m.  \n- Tickets cost £25.\n",
         [(3, 24, "WS002")], "Match-day arrangements:\n\n- Kick-off is at 3 p.m.\n- Tickets cost £25.\n"),
        ("WS002", "a.md", "> I have lived here for forty years.  \n>\n> I am not leaving now.\n",
         [(1, 37, "WS002")], "> I have lived here for forty years.\n>\n> I am not leaving now.\n"),
        ("WS002", "a.md", "Councillors approved the plan.  \n## What happens next\n\nWork starts in May.\n",
         [(1, 31, "WS002")], "Councillors approved the plan.\n## What happens next\n\nWork starts in May.\n"),
        ("WS002", "a.md", "Councillors approved the plan.  \nWork starts in May.\n", [], None),
        # Emoticons are not slips; a slip right after a link or inline code is.
        ("WS004", "a.txt", 'The coach posted "Told you so :)" on Sunday night and ";)" on Monday.\n', [], None),
        ("WS004", "a.md", "The report is on [the website](https://example.org/r) , officials said.\n",
         [(1, 54, "WS004")], "The report is on [the website](https://example.org/r), officials said.\n"),
        ("WS004", "a.md", "Staff were told to run `backup.sh` , but nobody did.\n",
         [(1, 35, "WS004")], "Staff were told to run `backup.sh`, but nobody did.\n"),
        # A comma stranded at the start of the next line (plain text).
        ("WS004", "a.txt", "The council voted, after a long debate\n, to close the library.\n",
         [(1, 39, "WS004")], "The council voted, after a long debate, to close the library.\n"),
        # Prices in parentheses are prose, not code.
        ("WS004", "a.txt", "Tickets cost $12 (children $6) , organisers said.\n",
         [(1, 31, "WS004")], "Tickets cost $12 (children $6), organisers said.\n"),
        # A right double quote that lost its last byte: found, fixed only as a guess.
        ("WS006", "a.txt", "The judge called the defence \u00e2\u20ac\u0153a disgrace\u00e2\u20ac and left.\n",
         [(1, 30, "WS006"), (1, 43, "WS006")],
         "The judge called the defence \u201ca disgrace\u00e2\u20ac and left.\n"),
        # ftfy would read "Ã©" + NBSP + NBSP as the CJK "頠": not trusted.
        ("WS006", "a.txt", "The Caf\u00c3\u00a9\u00a0\u00a0\u00c3\u00bcber sold out.\n", [], None),
        # Speech in single quotes is speech.
        ("WS007", "a.txt", "Asked about it, his mother said: \u2018We we never expected this.\u2019\n", [], None),
        ("WS007", "a.txt", "The home fans chanted \u2018out out out\u2019 at the board all afternoon.\n", [], None),
        ("WS007", "a.txt", "It\u2019s the fans\u2019 view that the the board must go.\n",
         [(1, 26, "WS007")], "It\u2019s the fans\u2019 view that the board must go.\n"),
        # "Will will": the first may be a name, so the fix waits for a person.
        ("WS007", "a.txt", "Will will captain the side on Saturday, the coach said.\n",
         [(1, 1, "WS007")], "Will will captain the side on Saturday, the coach said.\n"),
        # Titles take a non-breaking space with or without the full stop.
        ("WS008", "a.txt", f"Mr{N}Smith and Mrs.{N}Jones declined to comment on the ruling.\n", [], None),
        ("WS008", "a.txt", f"The witness said that{N}I was the last to leave, in World War{N}II style.\n",
         [(1, 22, "WS008")], "The witness said that I was the last to leave, in World War\u00a0II style.\n"),
        ("WS008", "a.txt", f"{N}The council met on Monday and voted to close the library.\n",
         [(1, 1, "WS008")], "The council met on Monday and voted to close the library.\n"),
        ("WS008", "a.txt", f"Library to close\n\n{N}{N}{N}The council met on Monday and voted.\n",
         [(3, 1, "WS008")], "Library to close\n\nThe council met on Monday and voted.\n"),
        ("WS008", "a.txt", f"The council{N}{N}met on Monday and voted to close the library.\n",
         [(1, 12, "WS008")], "The council met on Monday and voted to close the library.\n"),
    ],
)
def test_ws_regressions(code, path, text, expected, fixed):
    assert lint(text, path=path, select=[code]) == expected
    assert fix(text, path=path, select=[code]) == (text if fixed is None else fixed)


def test_short_english_text_counts_as_english():
    text = "The defendant\u2019s mother told reporters outside court: \u2018I just just want him home.\u2019\n"
    from artlint.document import Document

    assert Document("a.txt", text).language == "en"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xiu Xiu played the hall on Friday night.\n", []),  # a name, even first in a sentence
        ("Remember the rule the experts repeat: layers layers layers!\n", []),  # three times on purpose
        ("They would bathe the the children at night.\n", [(1, 18, "WS007")]),
    ],
)
def test_repeated_word_names_and_triples(text, expected):
    assert lint(text, select=["WS007"]) == expected
