"""QT: quotation marks.

Double quotation marks are tracked per paragraph, curly and straight alike.
A straight mark is read as opening or closing from the characters around it
(after a space, before a word: opening); marks after a digit are inch marks
and are not quotation marks at all. A quote that runs over several
paragraphs opens each of them and closes only in the last: that is correct
and never reported.

QT002 is on by default: on the 1,097 clean articles of the project's
measurement corpus it reports 6 findings, all real. The others are preview
rules, off by default (select them with `--select QT`) until their
false-alarm rate on real, edited articles is low enough: QT001/QT003 report
about 90 findings there, two thirds of them real (escaped or reversed
marks, lost openings), the rest fiction dialogue and quotations that run
across paragraphs without being opened again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

from artlint.document import Document, Paragraph
from artlint.recache import compile as re_compile
from artlint.registry import rule
from artlint.types import Applicability, Edit, Fix, Span, Violation

_MARKS_RE = re_compile('[“”"]')
_OPENING_CONTEXT = frozenset(" \t\n([{—–-/")
_CLOSING_CONTEXT = frozenset(".,;:!?)]}—–-…")
# Searched for only (is there one?): "{" then no other "{" before the
# mark finds the same paragraphs as any "{", and does not scan a line of
# ten thousand braces once per brace.
_CODE_LIKE_RE = re_compile(r'=\s*"|"\s*:\s*["{\[\d]|\{[^{}\n]*"|\w\([^()\n]*"')


class Mark(NamedTuple):
    at: int
    opening: bool
    after_digit: bool = False  # a closing mark after a digit may be an inch mark


def _marks(text: str, start: int, end: int) -> list[Mark]:
    """The double quotation marks of text[start:end], each read as opening
    or closing."""
    out = []
    for m in _MARKS_RE.finditer(text, start, end):
        at = m.start()
        ch = m.group()
        before = text[at - 1] if at > start else ""
        after = text[at + 1] if at + 1 < end else ""
        if ch == "“":
            out.append(Mark(at, True))
        elif ch == "”":
            out.append(Mark(at, False, before.isdigit()))
        else:
            if before.isdigit():
                out.append(Mark(at, False, True))  # 5'10", or "… 2015".
                continue
            opens = (before == "" or before in _OPENING_CONTEXT or before in ",:;=") and after != "" and not after.isspace()
            closes = before != "" and not before.isspace() and (after == "" or after.isspace() or after in _CLOSING_CONTEXT)
            if opens == closes:
                continue  # "a"b", 美樹"營地: no telling which it is
            out.append(Mark(at, opens))
    return out


class _State:
    __slots__ = ("unclosed", "misplaced", "stray", "follows")

    def __init__(self, unclosed: Mark | None = None, misplaced: list[Mark] | None = None,
                 stray: list[Mark] | None = None, follows: bool = False) -> None:
        self.unclosed = unclosed  # the mark that opened a quote left open
        self.misplaced = misplaced  # openings where the closing belongs
        self.stray = stray  # closings with no opening
        self.follows = follows  # the paragraph before (furniture aside) has quotation marks too


def _scan(marks: list[Mark], carried: bool = False) -> _State:
    """``carried``: the paragraph before left a quotation open; some writers
    close it here without opening it again, which is not reported."""
    state = _State(misplaced=[], stray=[])
    open_mark: Mark | None = None
    if carried and marks and not marks[0].opening:
        marks = marks[1:]
    # The index of the paragraph's last closing mark (not an inch mark):
    # whether one follows a mark is then one comparison, not a scan of the
    # rest (a paragraph of ten thousand opening marks).
    last_closing = max((i for i, m in enumerate(marks) if not m.opening and not m.after_digit), default=-1)
    for i, mark in enumerate(marks):
        if mark.opening:
            if open_mark is None:
                open_mark = mark
            elif i > last_closing:
                # A second opening while a quote is open, and no closing mark
                # follows: this one was meant to close the quote.
                state.misplaced.append(mark)  # type: ignore[union-attr]
                open_mark = None
            # else: a nested quote written with double marks; left to style
        else:
            if open_mark is not None:
                open_mark = None
            elif not mark.after_digit:  # 8.3” x 15”, a 27" screen: inch marks
                state.stray.append(mark)  # type: ignore[union-attr]
    state.unclosed = open_mark
    return state


_QUOTE_KINDS = frozenset({"paragraph", "blockquote", "list-item"})
_SENTENCE_END_RE = re_compile(r"[.!?…:;][\s)\]’'”\"]*$")


def _furniture(prose: str, p: Paragraph) -> bool:
    """A short line that ends no sentence and quotes nothing ("Club
    statement", an embedded post's credit, a caption): a quotation that
    runs on past it is not broken by it."""
    line = prose[p.span.start : p.span.end].strip()
    return (p.kind == "paragraph" and bool(line) and len(line.split()) <= 12
            and _MARKS_RE.search(line) is None and _SENTENCE_END_RE.search(line) is None)


def _paragraph_states(doc: Document) -> list[tuple[Paragraph, list[Mark], _State]]:
    cached = doc.cache.get("qt-states")
    if cached is None and doc.language != "en":
        cached = doc.cache["qt-states"] = []  # other languages quote otherwise („…“, « »)
    if cached is None:
        prose = doc.prose
        cached = []
        carried = False  # the quotation-bearing paragraph just before left one open
        follows = False  # ... and nothing but furniture stands between
        for p in doc.paragraphs:
            if p.kind not in _QUOTE_KINDS:
                carried = follows = False
                continue  # a heading ends any quotation left open before it
            if prose.find('"', p.span.start, p.span.end) != -1 and _CODE_LIKE_RE.search(prose, p.span.start, p.span.end):
                carried = follows = False
                continue  # markup or data ("Version=\"13\"", {"a": 1}): not prose quotes
            if _MARKS_RE.search(prose, p.span.start, p.span.end) is None:
                if (carried or follows) and not _furniture(prose, p):
                    carried = follows = False  # narration: no quotation runs on through it
                continue  # no quotation marks: nothing to track
            marks = _marks(prose, p.span.start, p.span.end)
            state = _scan(marks, carried)
            state.follows = follows
            cached.append((p, marks, state))
            carried = state.unclosed is not None
            follows = True
        doc.cache["qt-states"] = cached
    return cached


@rule(
    code="QT001",
    name="unclosed-quote",
    summary="A quotation that never closes",
    severity="warning",
    fixable="never",
    default=False,  # preview: see the module docstring
)
def unclosed_quote(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds a paragraph whose quotation is opened and never closed, when the
    next paragraph does not carry the quotation on (a quotation over several
    paragraphs opens each of them and closes only the last, which is right).
    A paragraph of narration or a heading in between ends the quotation; a
    short line that ends no sentence (a caption, an embedded post's credit)
    does not.

    ## Why is this bad?
    The reader cannot tell where the quoted words end and the writer's
    begin; usually a closing mark was lost in editing.

    ## Example
    ```text
    Club to Appeal Ruling

    “We will appeal the ruling, the club’s lawyer said on Friday.

    The hearing is set for March.
    ```

    ## Use instead
    ```text
    Club to Appeal Ruling

    “We will appeal the ruling,” the club’s lawyer said on Friday.

    The hearing is set for March.
    ```

    ## Fix safety
    No fix: where the quotation ends needs a person.
    """
    states = _paragraph_states(doc)
    for i, (_, _, state) in enumerate(states):
        if state.unclosed is None:
            continue
        # Only the very next paragraph can carry the quotation on: narration
        # without marks, or a heading, in between ends it.
        adjacent = i + 1 < len(states) and states[i + 1][2].follows
        nxt = states[i + 1][1] if adjacent else []
        if nxt and nxt[0].opening and nxt[0].at - states[i + 1][0].span.start <= 2:
            continue  # continued in the next paragraph
        at = state.unclosed.at
        yield Violation(Span(at, at + 1), "This quotation is never closed")


@rule(
    code="QT002",
    name="opening-quote-for-closing",
    summary="An opening quotation mark where the closing one belongs",
    severity="error",
    fixable="always",
)
def opening_for_closing(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds an opening double quotation mark inside a quotation that is still
    open, with no closing mark after it in the paragraph: the mark was
    meant to close the quotation (`…in our submission “Russian Foreign
    Minister Sergey Lavrov stated this.`).

    ## Why is this bad?
    The quotation never ends, and a new one seems to begin where the
    attribution starts.

    ## Example
    ```text
    “We will know more when we get a written answer to our submission “the minister said.
    ```

    ## Use instead
    ```text
    “We will know more when we get a written answer to our submission,” the minister said.
    ```

    ## Fix safety
    Unsafe: the mark becomes a closing one (straight if it was straight),
    and a comma is added when the quotation ends on a word; the writer may
    have meant something else.
    """
    text = doc.text
    for _, _, state in _paragraph_states(doc):
        for mark in state.misplaced or ():
            at = mark.at
            space = at
            while space > 0 and text[space - 1] in " \t":
                space -= 1
            before = text[space - 1] if space > 0 else ""
            after = text[at + 1] if at + 1 < len(text) else ""
            comma = "," if before.isalnum() else ""
            gap = " " if after.isalnum() else ""  # "…submission,” Russian", but "…there”."
            close = '"' if text[at] == '"' else "”"  # a straight mark stays straight
            replacement = f"{comma}{close}{gap}"
            fix = None if text[space : at + 1] == replacement else Fix.unsafe(
                f"Close the quotation: '{replacement}'", Edit.replace(space, at + 1, replacement))
            yield Violation(Span(at, at + 1), "An opening quotation mark where the closing one belongs", fix)


@rule(
    code="QT003",
    name="stray-closing-quote",
    summary="A closing quotation mark with no opening one",
    severity="warning",
    fixable="never",
    default=False,  # preview: see the module docstring
)
def stray_closing_quote(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds a closing double quotation mark in a paragraph where no quotation
    is open.

    ## Why is this bad?
    The opening mark was lost, or the closing one is left over from an
    edit: the reader cannot tell what is quoted.

    ## Example
    ```text
    We will appeal the ruling,” the club’s lawyer said on Friday.
    ```

    ## Use instead
    ```text
    “We will appeal the ruling,” the club’s lawyer said on Friday.
    ```

    ## Fix safety
    No fix: where the quotation begins needs a person.
    """
    for _, _, state in _paragraph_states(doc):
        for mark in state.stray or ():
            yield Violation(Span(mark.at, mark.at + 1), "A closing quotation mark with no opening one")


@rule(
    code="QT004",
    name="mixed-quote-styles",
    summary="Straight and curly double quotation marks mixed in one article",
    severity="warning",
    fixable="always",
    default=False,  # preview: see the module docstring
)
def mixed_quote_styles(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds double quotation marks in the minority style of an article that
    mixes straight (`"`) and curly (`“ ”`) ones; inch marks after digits do
    not count. Reported once per article, at the first mark in the
    minority style; the fix changes them all.

    ## Why is this bad?
    Mixed marks come from pasting text from several sources; they look
    careless and defeat search for a quoted phrase.

    ## Example
    ```text
    “We are ready,” the coach said. “The players are fit.” The captain called it "a fair result."
    ```

    ## Use instead
    ```text
    “We are ready,” the coach said. “The players are fit.” The captain called it “a fair result.”
    ```

    ## Fix safety
    Each mark takes the majority style: to straight marks, safe; to curly
    marks, unsafe (the opening or closing form is read from the context).
    """
    text = doc.text
    marks = [(p, m) for p, ms, _ in _paragraph_states(doc) for m in ms if not m.after_digit]
    straight = [m for _, m in marks if text[m.at] == '"']
    curly = [m for _, m in marks if text[m.at] in "“”"]
    if not straight or not curly or len(straight) == len(curly):
        return
    to_curly = len(curly) > len(straight)
    minority = straight if to_curly else curly
    if to_curly:
        edits = [Edit.replace(m.at, m.at + 1, "“" if m.opening else "”") for m in minority]
        fix = Fix(tuple(edits), Applicability.UNSAFE, f"Make the {len(minority)} straight marks curly")
        message = (f"{len(minority)} straight quotation mark{'s' if len(minority) > 1 else ''} "
                   f"in an article that uses curly ones ({len(curly)})")
    else:
        edits = [Edit.replace(m.at, m.at + 1, '"') for m in minority]
        fix = Fix(tuple(edits), Applicability.SAFE, f"Make the {len(minority)} curly marks straight")
        message = (f"{len(minority)} curly quotation mark{'s' if len(minority) > 1 else ''} "
                   f"in an article that uses straight ones ({len(straight)})")
    first = minority[0]
    yield Violation(Span(first.at, first.at + 1), message, fix)


# Not next to a single mark: "…want.’ ”" spaces nested marks on purpose.
_SPACE_INSIDE_RE = re_compile(r"(?P<open>“)(?P<after>[ \t]+)(?=[^\s‘’'])|(?<=[^\s‘’'])(?P<before>[ \t]+)(?P<close>”)")


@rule(
    code="QT006",
    name="space-inside-quotes",
    summary="A space just inside a curly quotation mark",
    severity="warning",
    fixable="always",
    default=False,  # preview: see the module docstring
)
def space_inside_quotes(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds a space between a curly quotation mark and the words it quotes:
    `“ We are ready”`, `“We are ready ”`. A closing mark that closes
    nothing and stands before a word (`said ”Bird flu…`) is an opening mark
    written the wrong way round (QT003); the space before it is not inside
    a quotation and is not reported.

    ## Why is this bad?
    The mark is left hanging and can end up alone at the end or start of a
    line.

    ## Example
    ```text
    “ We are ready,” the coach said.
    ```

    ## Use instead
    ```text
    “We are ready,” the coach said.
    ```

    ## Fix safety
    Safe: the space is removed.
    """
    if doc.language != "en":
        return
    prose = doc.prose
    stray: set[int] | None = None  # closing marks that close nothing, found on demand
    for m in _SPACE_INSIDE_RE.finditer(prose):
        gap = "after" if m.group("open") else "before"
        start, end = m.span(gap)
        if not doc.is_prose(start, end):
            continue
        if gap == "before" and prose[end + 1 : end + 2].isalnum():
            if stray is None:
                stray = {s.at for _, _, state in _paragraph_states(doc) for s in state.stray or ()}
            if end in stray:
                continue  # 'said ”Bird flu…': a reversed opening mark (QT003); the space is outside
        where = "after the opening" if gap == "after" else "before the closing"
        yield Violation(Span(start, end), f"A space {where} quotation mark",
                        Fix.safe("Remove the space", Edit.delete(start, end)))


class QuoteOptions(NamedTuple):
    #: "us": commas and full stops go inside the closing mark (QT005);
    #: "uk": logical punctuation, which QT005 cannot judge and leaves alone.
    quote_style: Literal["us", "uk"] = "us"


# The mark closes some text: not a space, stop or another mark before it (a
# comma moved into '"""",' would find the next mark "closing" before it).
_OUTSIDE_RE = re_compile(r"(?<=[^\s.,!?“”\"])(?P<close>[”\"])(?P<punct>[.,])(?![.\w])")


@rule(
    code="QT005",
    name="punctuation-outside-quotes",
    summary="A comma or full stop outside the closing quotation mark (US style)",
    severity="warning",
    fixable="always",
    default=False,  # preview: see the module docstring
    options=QuoteOptions,
)
def punctuation_outside(doc: Document, opts: QuoteOptions) -> Iterator[Violation]:
    """
    ## What it does
    In US style (`[tool.artlint.qt] quote-style = "us"`, the default), finds
    a comma or full stop placed after a closing quotation mark: `called it
    “bold”.` In UK style (`"uk"`) punctuation follows the sense of the
    quotation, which a rule cannot judge, and nothing is reported.

    ## Why is this bad?
    US news style always sets commas and full stops inside the closing
    mark; mixing the two conventions looks careless.

    ## Example
    ```text
    The council called the plan “bold”, and the mayor called it “overdue”.
    ```

    ## Use instead
    ```text
    The council called the plan “bold,” and the mayor called it “overdue.”
    ```

    ## Fix safety
    Safe: the mark and the punctuation swap places.
    """
    if (opts or QuoteOptions()).quote_style != "us" or doc.language != "en":
        return
    states = _paragraph_states(doc)
    closings = {m.at for _, ms, _ in states for m in ms if not m.opening and not m.after_digit}
    text = doc.text
    for m in _OUTSIDE_RE.finditer(doc.prose):
        at = m.start("close")
        if at not in closings or not doc.is_prose(at, m.end()):
            continue
        mark, punct = text[at], m.group("punct")
        yield Violation(
            Span(at, m.end()),
            f"'{punct}' outside the closing quotation mark (US style puts it inside)",
            Fix.safe(f"Write '{punct}{mark}'", Edit.replace(at, m.end(), punct + mark)),
        )
