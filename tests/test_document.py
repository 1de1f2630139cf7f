"""The Document model: headline, paragraphs, regions, prose mask."""

from __future__ import annotations

import pytest

from artlint.document import Document


def test_plain_text_headline_and_paragraphs():
    doc = Document("a.txt", "Mayor Quits After Vote\n\nThe mayor quit.\nShe said so.\n\nThe end.\n")
    assert doc.headline.text == "Mayor Quits After Vote"
    assert doc.headline.source == "first-line"
    assert [(doc.paragraph_text(p), p.kind) for p in doc.paragraphs] == [
        ("Mayor Quits After Vote", "headline"),
        ("The mayor quit.\nShe said so.", "paragraph"),
        ("The end.", "paragraph"),
    ]


@pytest.mark.parametrize(
    ("first", "is_headline"),
    [
        ("After a Discussion on Ukraine, the United States and Russia Agreed to Continue Discussing.", True),
        ("Why the Council Said No", True),
        ("The council met on Monday. It voted to close the library and the pool.", False),  # two sentences
        ("The council met on Monday and", False),  # cut mid-sentence, the text runs on
        ("Meanwhile, the council,", False),
    ],
)
def test_plain_text_headline_heuristic(first, is_headline):
    follow = "then the rest of the sentence follows." if first.endswith("and") else "The text follows."
    doc = Document("a.txt", first + "\n\n" + follow + "\n")
    assert (doc.headline is not None) is is_headline


def test_markdown_headline_from_front_matter_then_h1():
    fm = Document("a.md", "---\ntitle: From Front Matter\ndate: 2024-01-01\n---\n\n# An H1\n\nBody.\n")
    assert (fm.headline.text, fm.headline.source) == ("From Front Matter", "front-matter")
    assert [p.kind for p in fm.paragraphs] == ["heading", "paragraph"]
    h1 = Document("a.md", "# The H1 Title\n\nBody.\n")
    assert (h1.headline.text, h1.headline.source) == ("The H1 Title", "h1")
    assert [p.kind for p in h1.paragraphs] == ["headline", "paragraph"]
    none = Document("a.md", "Body first.\n\n# Late H1\n")
    assert none.headline is None


def test_markdown_paragraph_kinds_and_container_markers_are_masked():
    text = "> Quoted line\n> goes on.\n\n- item one\n- item two\n\n## Sub\n\n| a | b |\n|---|---|\n| c | d |\n"
    doc = Document("a.md", text)
    assert [(doc.paragraph_text(p), p.kind) for p in doc.paragraphs] == [
        ("Quoted line\n> goes on.", "blockquote"),
        ("item one", "list-item"),
        ("item two", "list-item"),
        ("Sub", "heading"),
        ("a", "table-cell"),
        ("b", "table-cell"),
        ("c", "table-cell"),
        ("d", "table-cell"),
    ]
    # The "> " of the second quoted line and the list markers are not prose.
    assert doc.prose.splitlines()[1] == "  goes on."
    assert doc.prose.splitlines()[3] == "  item one"


def test_prose_mask_blanks_code_html_urls_and_front_matter():
    text = ("---\ntitle: T\n---\nSee `x  y` at https://a.b/c and [docs](http://d.e/f) <!-- note -->.\n\n"
            "```\ncode\n```\n")
    doc = Document("a.md", text)
    assert len(doc.prose) == len(text)
    lines = doc.prose.split("\n")
    assert lines[:3] == ["", "", ""] or lines[:3] == [" " * 3, " " * 8, " " * 3]
    assert lines[3] == "See        at               and [docs]                            ."
    assert lines[5:8] == [" " * 3, " " * 4, " " * 3]
    kinds = {r.kind for r in doc.regions}
    assert {"front-matter", "code-inline", "url", "html-comment", "code-block", "paragraph"} <= kinds


def test_plain_text_code_lines_are_not_prose():
    doc = Document("a.txt", "Run this:\n\n$ pip install  artlint\n\nif (a == b) { x  = 1; }\n\nDone  now.\n")
    assert doc.prose.split("\n")[2].strip() == ""
    assert doc.prose.split("\n")[4].strip() == ""
    assert "Done  now." in doc.prose


def test_positions_and_crlf_normalisation():
    doc = Document("a.txt", "ab\r\ncd\r\n")
    assert doc.text == "ab\ncd\n"
    assert doc.position(3) == (2, 1)
    assert doc.offset(2, 2) == 4
    assert doc.line_count == 2


def test_language_guess():
    assert Document("a.txt", "The council said that it was not going to vote on the plan for the town.\n").language == "en"
    assert Document("a.txt", "Die Regierung hat am Montag die neue Regel beschlossen, sagte der Sprecher heute.\n").language == "other"


def test_language_guess_reads_the_long_lines_of_a_saved_page():
    """A page's menus (short lines, few function words) outweigh its story
    in characters; the guess reads the story's long lines."""
    menu = "".join(f"{w} Deals\n" for w in ("Phones", "Laptops", "Tablets", "Cameras", "Gaming", "Audio") * 120)
    english = ("The council said that it was not going to vote on the plan for the town until the spring, "
               "when the budget for the next year has been agreed by all of the members.\n") * 8
    german = ("Die Regierung hat am Montag die neue Regel beschlossen, sagte der Sprecher heute in Berlin "
              "vor Journalisten, die seit Wochen auf eine Entscheidung gewartet hatten.\n") * 8
    assert Document("a.txt", menu + menu + english).language == "en"
    assert Document("a.txt", menu + menu + german).language == "other"


def test_straight_quotes_keeps_length_and_ascii_text():
    from artlint.document import straight_quotes

    curly = "“It’s ‘fine’,” she said,\u00a0again."
    assert straight_quotes(curly) == "\"It's 'fine',\" she said, again."
    assert len(straight_quotes(curly)) == len(curly)
    plain = "No curly marks here."
    assert straight_quotes(plain) is plain
    assert straight_quotes("«Guillemets» and „low“ stay") == "«Guillemets» and „low\" stay"
