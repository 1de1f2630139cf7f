"""The fixer: selection of non-overlapping fixes, fixed point, loop
detection (XX003), line deletion, line endings."""

from __future__ import annotations

import pytest

from artlint.document import Document
from artlint.edits import apply_edits, delete_lines
from artlint.files import Source
from artlint.fixer import fix_source, select_fixes
from artlint.runner import Mode, check_bytes
from artlint.types import Applicability, Diagnostic, Edit, Fix, Severity, Span

from conftest import fix, settings


def _diag(code, start, end, text, applicability=Applicability.SAFE):
    return Diagnostic(code, "x", Span(start, end), "m", Severity.WARNING,
                      Fix((Edit(Span(start, end), text),), applicability, "t"))


def test_select_fixes_skips_overlaps_duplicates_and_low_applicability():
    diags = [
        _diag("B001", 5, 8, "x"),
        _diag("A001", 0, 3, "y"),
        _diag("A002", 2, 4, "z"),  # overlaps A001
        _diag("C001", 5, 8, "x"),  # duplicate of B001
        _diag("D001", 10, 10, "i"),
        _diag("D002", 10, 10, "j"),  # a second insert at the same offset conflicts
        _diag("E001", 12, 13, "u", Applicability.UNSAFE),
        _diag("F001", 14, 15, "d", Applicability.DISPLAY_ONLY),
    ]
    assert [d.code for d in select_fixes(diags, Applicability.SAFE)] == ["A001", "B001", "D001"]
    assert [d.code for d in select_fixes(diags, Applicability.UNSAFE)] == ["A001", "B001", "D001", "E001"]


def test_of_two_fixes_at_one_offset_the_one_that_reaches_further_is_taken():
    """A run of page chrome (BP004) and a known line at its top (BP001) both
    start at the run's first line: the run's deletion holds the line's, and
    is taken, so that what BP001 leaves is no run too short to report."""
    diags = [_diag("BP001", 0, 5, ""), _diag("BP004", 0, 60, ""), _diag("BP001", 20, 31, ""), _diag("WS001", 60, 61, "")]
    assert [(d.code, d.span.end) for d in select_fixes(diags, Applicability.SAFE)] == [
        ("BP004", 60), ("WS001", 61)]


def test_a_fix_with_overlapping_edits_is_refused():
    with pytest.raises(ValueError):
        Fix.safe("t", Edit.delete(0, 3), Edit.delete(2, 4))


@pytest.mark.parametrize(
    ("text", "first", "last", "expected"),
    [
        ("A\n\nB\n\nC\n", 3, 3, "A\n\nC\n"),  # middle paragraph and one blank line
        ("A\n\nB\n", 3, 3, "A\n"),  # last paragraph with the blank line before it
        ("A\n\nB", 3, 3, "A"),  # no final newline stays without one
        ("B\n\nC\n", 1, 1, "C\n"),  # first paragraph with the blank line after it
        ("A\nB\nC\n", 2, 2, "A\nC\n"),  # a line inside a paragraph
        ("A\n\nB\nB2\n\nC\n", 3, 4, "A\n\nC\n"),  # several lines
    ],
)
def test_delete_lines_keeps_one_blank_line_between_paragraphs(text, first, last, expected):
    doc = Document("a.txt", text)
    assert apply_edits(text, [delete_lines(doc, first, last)]) == expected


def test_fixes_that_chain_reach_a_fixed_point():
    # Deleting the NBSP next to a space leaves a double space that WS003 then
    # collapses on the next pass.
    assert fix("The council \u00a0met.\n") == "The council met.\n"


def test_a_loop_is_detected_and_the_file_left_unchanged_with_XX003(tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "- {code: ACME001, name: to-colour, type: substitution, swap: {color: colour}}\n"
        "- {code: ACME002, name: to-color, type: substitution, swap: {colour: color}}\n",
        encoding="utf-8",
    )
    s = settings({"rule-paths": [str(rules)]}, root=tmp_path)
    data = b"The color of money.\n"
    result = check_bytes(data, "a.txt", "a.txt", s, Mode(fix=True))
    assert result.fixed_source is None
    xx = [d for d in result.diagnostics if d.code == "XX003"]
    assert len(xx) == 1
    assert xx[0].message == "Fixes did not converge (rules involved: ACME001, ACME002); the file was left unchanged"


def test_crlf_is_kept_and_offsets_map_to_the_raw_text():
    raw = "Title\r\n\r\n\r\nThe council  met.\r\nNext line.\n"
    s = settings(select=["WS"])
    from artlint.engine import lint_document

    result = fix_source(Source(raw), lambda t: lint_document(Document("a.txt", t), s))
    assert result.source.raw == "Title\r\n\r\nThe council met.\r\nNext line.\n"
    assert result.fixed == {"WS001": 1, "WS003": 1}


def test_inserted_newlines_follow_the_files_line_ending(tmp_path):
    rules = tmp_path / "r.yaml"
    rules.write_text("{code: ACME003, name: split, type: substitution, swap: {'split here': \"split\\nhere\"}}\n",
                     encoding="utf-8")
    s = settings({"rule-paths": [str(rules)]}, select=["ACME003"], root=tmp_path)
    result = check_bytes(b"We split here.\r\nEnd.\r\n", "a.txt", "a.txt", s, Mode(fix=True))
    assert result.fixed_source.raw == "We split\r\nhere.\r\nEnd.\r\n"
