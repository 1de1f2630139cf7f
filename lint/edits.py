"""Helpers for building and applying edits."""

from __future__ import annotations

from collections.abc import Iterable

from .document import Document
from .types import Edit, Span


def is_blank_line(doc: Document, line: int) -> bool:
    return not doc.line_text(line).strip()


def delete_lines(doc: Document, first: int, last: int | None = None) -> Edit:
    """Delete 1-based lines ``first..last`` (inclusive) with their line
    breaks, keeping the paragraphs around them separated by exactly one blank
    line, keeping a file without a final newline without one, and never
    leaving a Markdown file to start with a '---' line (front matter)."""
    last = first if last is None else last
    count = doc.line_count
    prev_blank = first == 1 or is_blank_line(doc, first - 1)
    next_exists = last < count
    next_blank = next_exists and is_blank_line(doc, last + 1)
    if prev_blank and next_blank:
        last += 1  # take one of the two blank lines that would meet
    elif first > 1 and prev_blank and not next_exists:
        first -= 1  # the last paragraph goes with the blank line before it
    starts = doc.line_starts
    text = doc.text
    start = starts[first - 1]
    end = starts[last] if last < len(starts) else len(text)
    if end == len(text) and not text.endswith("\n") and start > 0:
        start -= 1  # keep "no newline at end of file" as it was
    if start == 0 and end > 1 and doc.kind == "markdown" and text.startswith("---", end):
        # Left at the top, a '---' line would open front matter and hide
        # what follows it as YAML: keep a line break before it.
        end -= 1
    return Edit(Span(start, end), "")


def delete_span_in_line(doc: Document, span: Span) -> Edit:
    """Delete ``span`` and the whitespace that would be left doubled."""
    text = doc.text
    start, end = span.start, span.end
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start > 0 and text[start - 1] != "\n" and end < len(text) and text[end] not in " \t\n":
        # Keep one space between the words on each side.
        return Edit(Span(start, end), " ")
    return Edit(Span(start, end), "")


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Splice non-overlapping edits into ``text``."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if e.span.start < pos:
            raise ValueError("overlapping edits")
        out.append(text[pos : e.span.start])
        out.append(e.text)
        pos = e.span.end
    out.append(text[pos:])
    return "".join(out)
