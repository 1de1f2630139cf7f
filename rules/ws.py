"""WS: whitespace, typography and encoding.

Every WS rule looks only at prose (the Document's mask): code blocks, inline
code, front matter, HTML and URLs are never judged or edited.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from functools import cache
from collections.abc import Iterator
from typing import NamedTuple

from artlint.data import load_data
from artlint.document import Document
from artlint.recache import compile as re_compile
from artlint.registry import rule
from artlint.types import Edit, Fix, Span, Violation


class WhitespaceOptions(NamedTuple):
    #: Extra words that may legitimately stand twice in a row (WS007).
    legitimate_doubles: tuple[str, ...] = ()


# ------------------------------------------------------------------ WS001
@rule(
    code="WS001",
    name="multiple-blank-lines",
    summary="More than one blank line between paragraphs",
    fixable="always",
    options=WhitespaceOptions,
)
def multiple_blank_lines(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds two or more blank lines in a row outside code blocks and front
    matter.

    ## Why is this bad?
    One blank line separates paragraphs. Extra ones are left over from
    pasting or scraping, make diffs noisy, and some publishing systems turn
    them into empty paragraphs.

    ## Example
    ```text
    The council met on Monday.


    It voted to close the library.
    ```

    ## Use instead
    ```text
    The council met on Monday.

    It voted to close the library.
    ```

    ## Fix safety
    Safe: only blank lines are removed, one is kept.
    """
    text = doc.text
    mask = doc.mask
    for m in _blank_runs(text):
        # m covers the line break ending a text line (or the file start) and
        # the blank lines after it.
        first = m.start() + 1 if text[m.start()] == "\n" else m.start()
        end = m.end()
        blanks = text.count("\n", first, end)
        starts = [first]
        i = text.find("\n", first, end)
        while i != -1 and i + 1 < end:
            starts.append(i + 1)
            i = text.find("\n", i + 1, end)
        # Only blank lines outside code blocks and front matter count.
        prose_lines = [s for s in starts if mask[text.find("\n", s, end)] == 1]
        if blanks < 2 or len(prose_lines) < 2:
            continue
        start = prose_lines[1]
        stop = text.find("\n", prose_lines[-1], end) + 1
        n = len(prose_lines)
        yield Violation(
            Span(start, stop),
            f"{n} blank lines in a row; one separates paragraphs",
            Fix.safe(f"Delete {n - 1} extra blank line{'s' if n > 2 else ''}", Edit.delete(start, stop)),
        )


# A line break (or the start of the text) followed by two or more blank
# lines. Two patterns, not one starting "(?:^|\n)": a pattern that starts
# with a character to look for is searched for fast.
_BLANK_RUN_RE = re_compile(r"\n(?:[ \t]*\n){2,}")
_BLANK_START_RE = re_compile(r"(?:[ \t]*\n){2,}")


def _blank_runs(text: str) -> Iterator[re.Match[str]]:
    m = _BLANK_START_RE.match(text)
    if m is not None:
        yield m
    yield from _BLANK_RUN_RE.finditer(text, m.end() if m is not None else 0)


# ------------------------------------------------------------------ WS002
# The last blank character of a line, then back over the run: a pattern
# matching the run from its start is tried at every space of the text, and
# one without a look-behind tries each space of a long run again (its square).
_TRAILING_BLANK = " \t\u00a0\u3000"
_TRAILING_RE = re_compile(r"[ \t\u00a0\u3000]$", re.M)


@rule(
    code="WS002",
    name="trailing-whitespace",
    summary="Whitespace at the end of a line",
    fixable="always",
    options=WhitespaceOptions,
)
def trailing_whitespace(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds spaces, tabs and non-breaking spaces at the end of a line of prose.
    In Markdown, two or more spaces ending a line inside a paragraph are a
    hard line break and are left alone.

    ## Why is this bad?
    Invisible trailing whitespace makes diffs noisy and, in Markdown, can
    turn into an unintended line break.

    ## Example
    ```text
    The council met on Monday.   
    ```

    ## Use instead
    ```text
    The council met on Monday.
    ```

    ## Fix safety
    Safe: only the trailing whitespace is removed.
    """
    text = doc.text
    for m in _TRAILING_RE.finditer(text):
        start, end = m.start(), m.end()
        while start > 0 and text[start - 1] in _TRAILING_BLANK:
            start -= 1
        if not doc.is_prose(start, end):
            continue
        run = text[start:end]
        if doc.kind == "markdown" and run.replace(" ", "") == "" and len(run) >= 2 and _inside_paragraph(doc, start):
            continue  # a Markdown hard line break: the paragraph goes on
        yield Violation(Span(start, end), "Trailing whitespace", Fix.safe("Remove trailing whitespace", Edit.delete(start, end)))


def _inside_paragraph(doc: Document, at: int) -> bool:
    """True when the paragraph holding offset ``at`` goes on after its line."""
    spans = doc.cache.get("paragraph-spans")
    if spans is None:
        spans = doc.cache["paragraph-spans"] = sorted((p.span.start, p.span.end) for p in doc.paragraphs)
    i = bisect_right(spans, (at, len(doc.text) + 1)) - 1
    if i < 0:
        return False
    start, end = spans[i]
    line_end = doc.text.find("\n", at)
    return start <= at and line_end != -1 and line_end < end


# ------------------------------------------------------------------ WS003
# Two spaces, the rarer thing to look for, not preceded by a third; the
# character before the run is checked apart.
_SPACES_RE = re_compile(r"  (?<!   ) *(?=\S)")
_COLUMN_RUN_RE = re_compile(r"\S {3,}\S")


@rule(
    code="WS003",
    name="multiple-spaces",
    summary="More than one space between words",
    fixable="always",
    options=WhitespaceOptions,
)
def multiple_spaces(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds runs of two or more spaces between words or after a sentence. Lines
    that look like aligned columns (two or more runs of three spaces or more)
    are left alone.

    ## Why is this bad?
    A double space is a typing or pasting slip; it shows up in print as a
    wide gap and in search as a missed phrase.

    ## Example
    ```text
    The council  met on Monday.
    ```

    ## Use instead
    ```text
    The council met on Monday.
    ```

    ## Fix safety
    Safe: the run becomes one space.
    """
    prose = doc.prose
    columns_checked: dict[int, bool] = {}
    for m in _SPACES_RE.finditer(prose):
        start, end = m.start(), m.end()
        if start == 0 or prose[start - 1].isspace() or not doc.is_prose(start, end):
            continue
        line, _ = doc.position(start)
        aligned = columns_checked.get(line)
        if aligned is None:
            aligned = len(_COLUMN_RUN_RE.findall(doc.line_text(line))) >= 2
            columns_checked[line] = aligned
        if aligned:
            continue
        n = end - start
        yield Violation(Span(start, end), f"{n} spaces where one belongs", Fix.safe("Replace with one space", Edit.replace(start, end, " ")))


# ------------------------------------------------------------------ WS004
# The mark must end there: followed by a space, the line end or a closing
# quote or bracket (" .NET", " .5" and " ?!" are not slips). The whitespace
# may hold one line break (a comma stranded at the start of the next line).
# The search starts at the mark, the rarer character, and walks back over
# the whitespace: matching the whitespace first tries every space in the text.
_SPACE_PUNCT_RE = re_compile(r"[,.;:!?](?<=[ \t\n][,.;:!?])(?=$|[\s\"'”’)\]}])", re.M)
_NOT_BEFORE_SPACE = frozenset("([{.")


def _space_before(text: str, mark: int) -> int:
    """Where the whitespace before the mark at ``mark`` starts: spaces and
    tabs with at most one line break among them, after a character that is
    not whitespace or an opening bracket or a full stop; -1 if it does not."""
    i = mark
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i > 0 and text[i - 1] == "\n":
        i -= 1
        while i > 0 and text[i - 1] in " \t":
            i -= 1
    if i == 0 or text[i - 1].isspace() or text[i - 1] in _NOT_BEFORE_SPACE:
        return -1
    return i
_EMOTICON_RE = re_compile(r"[:;]-?[()DPp]")


@rule(
    code="WS004",
    name="space-before-punctuation",
    summary="A space before a comma, full stop, colon, semicolon, ! or ?",
    fixable="always",
    options=WhitespaceOptions,
)
def space_before_punctuation(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds whitespace between a word and the punctuation mark that should
    follow it directly: `, . ; : ! ?`. Ellipses (` ...`), decimals (` .5`),
    emoticons (` :)`) and runs of marks (` ?!`) are left alone.

    ## Why is this bad?
    English sets these marks tight against the preceding word; a space before
    them is a typing or conversion slip and can strand the mark at the start
    of a line.

    ## Example
    ```text
    The council met on Monday , and voted .
    ```

    ## Use instead
    ```text
    The council met on Monday, and voted.
    ```

    ## Fix safety
    Safe: only the whitespace is removed.
    """
    # Searched in the text, not the prose, so that a slip right after a link
    # or inline code counts; the whitespace and the mark must be prose.
    text = doc.text
    english = doc.language == "en"
    for m in _SPACE_PUNCT_RE.finditer(text):
        end = m.start()
        start = _space_before(text, end)
        if start < 0 or not doc.is_prose(start, m.end()):
            continue
        mark = m.group()
        if _EMOTICON_RE.match(text, end):
            continue
        if "\n" in text[start:end] and (doc.kind == "markdown" or mark != ","):
            continue  # only a stranded comma; Markdown lines may start with anything
        if mark in ";:!?" and not english:
            continue  # French and other conventions set a space before these
        if mark == "." and text[m.end() : m.end() + 2] == " .":
            continue  # a spaced ellipsis ". . ."
        yield Violation(Span(start, end), f"Space before '{mark}'", Fix.safe(f"Remove the space before '{mark}'", Edit.delete(start, end)))


# ------------------------------------------------------------------ WS005
_INVISIBLE = {
    "\u200b": "zero-width space",
    "\u2060": "word joiner",
    "\ufeff": "byte-order mark",
    "\u00ad": "soft hyphen",
    "\u180e": "Mongolian vowel separator",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
}
# These four have real uses in other scripts and emoji sequences: flagged only
# between Latin (or common punctuation and space) characters.
_CONTEXTUAL = frozenset("\u200c\u200d\u200e\u200f")
_INVISIBLE_RE = re_compile("[" + "".join(_INVISIBLE) + "]+")


def _latin_context(ch: str) -> bool:
    return ch == "" or ord(ch) < 0x0250 or 0x2000 <= ord(ch) <= 0x206F or 0x1E00 <= ord(ch) <= 0x1EFF


@rule(
    code="WS005",
    name="invisible-character",
    summary="An invisible character (zero-width space, soft hyphen, stray BOM, ...)",
    fixable="always",
    options=WhitespaceOptions,
)
def invisible_character(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds characters that take no room on screen: zero-width spaces, word
    joiners, soft hyphens, byte-order marks inside the text, and — between
    Latin characters only — zero-width (non-)joiners and direction marks
    (which scripts such as Persian, Arabic and Hebrew and emoji sequences
    need).

    ## Why is this bad?
    They come from copying out of web pages and word processors. Nobody can
    see them, but they break search ("Ukraine" with a zero-width space does
    not match "Ukraine"), spell checking and word counts.

    ## Example
    ```text
    The council met on Mon\u200bday.
    ```

    ## Use instead
    ```text
    The council met on Monday.
    ```

    ## Fix safety
    Safe: the characters are deleted; what a reader sees does not change.
    In Markdown, one that keeps the characters around it from being markup
    (between `<` and `!--`, or two runs of backticks) is only suggested for
    deletion: deleted, it would start an HTML comment or a code block.
    """
    text = doc.text
    if text.isascii() or not any(ch in text for ch in _INVISIBLE):
        return  # nine fast substring tests instead of a search of the text
    for m in _INVISIBLE_RE.finditer(text):
        start, end = m.start(), m.end()
        if not doc.is_prose(start, end):
            continue
        chars = m.group()
        if any(c in _CONTEXTUAL for c in chars):
            before = text[start - 1] if start else ""
            after = text[end] if end < len(text) else ""
            if not (_latin_context(before) and _latin_context(after)):
                continue
        names = sorted({_INVISIBLE[c] for c in chars})
        label = " and ".join(names)
        count = f"{len(chars)} " if len(chars) > 1 else ""
        edit = Edit.delete(start, end)
        if doc.kind == "markdown" and _joins_markup(text[start - 1 : start], text[end : end + 1]):
            fix = Fix.display_only(f"Delete the {label} (it keeps what is around it from being markup)", edit)
        else:
            fix = Fix.safe(f"Delete the {label}", edit)
        yield Violation(Span(start, end), f"Invisible character: {count}{label} (U+{ord(chars[0]):04X})", fix)


def _joins_markup(before: str, after: str) -> bool:
    """Deleting what lies between ``before`` and ``after`` would make Markdown
    or HTML of them: '<' and '!--' an HTML comment hiding the rest of the
    article, two backtick runs a code fence, '](' a link, and the like."""
    if not before or not after:
        return False
    if before == "<":
        return not after.isspace()
    if before == after:
        return before in "`~*_-=+#"
    return before + after in ("](", "![", "]:", "][") or (before == "\\" and after in _ASCII_PUNCT)


_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# ------------------------------------------------------------------ WS006
# A character that UTF-8 lead bytes become in Latin-1/Windows-1252, followed
# by one that a continuation byte becomes: the cheap test before ftfy.
_MOJIBAKE_HINT_RE = re_compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


_ASCII_ALNUM_RE = re_compile(r"[^A-Za-z0-9]+")
_LOST_BYTE_RE = re_compile(
    "\u00e2\u20ac(?![\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122])"
)


@rule(
    code="WS006",
    name="mojibake",
    summary="Garbled characters from a wrong text encoding (mojibake)",
    fixable="always",
    options=WhitespaceOptions,
)
def mojibake(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds text that was encoded as UTF-8 and decoded as Windows-1252 or
    Latin-1 somewhere on its way — `donâ€™t`, `CafÃ©` — and restores it with
    ftfy, which only changes text it is confident about.

    ## Why is this bad?
    Readers see garbage where an apostrophe, a dash or an accented letter
    belongs; names become unsearchable.

    ## Example
    ```text
    The councilâ€™s vote surprised the cafÃ© owners.
    ```

    ## Use instead
    ```text
    The council’s vote surprised the café owners.
    ```

    ## Fix safety
    Safe: ftfy restores the original characters; text it is not sure about
    is not reported.
    """
    text = doc.text
    if not _MOJIBAKE_HINT_RE.search(text):
        return
    import ftfy  # heavy: only for the few articles that need it

    from difflib import SequenceMatcher

    seen: set[int] = set()  # the pieces read, by start
    reported: list[tuple[int, int]] = []
    pieces = _MojibakePieces(doc)
    for hint in _MOJIBAKE_HINT_RE.finditer(text):
        span = pieces.around(hint.start())
        if span.start in seen:
            continue
        seen.add(span.start)
        original = text[span.start : span.end]
        fixed = ftfy.fix_encoding(original)
        if fixed == original:
            continue
        matcher = SequenceMatcher(None, original, fixed, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                continue
            start, end = span.start + a0, span.start + a1
            if not doc.is_prose(start, max(end, start + 1)):
                continue
            bad, good = original[a0:a1], fixed[b0:b1]
            if any(ord(c) >= 0x3000 for c in good) and not any(ord(c) >= 0x3000 for c in original):
                continue  # ftfy read Latin text as CJK: not a repair to trust
            if len(good) > len(bad) or _ASCII_ALNUM_RE.sub("", bad) != _ASCII_ALNUM_RE.sub("", good):
                # A repair turns two or three garbled characters into one and
                # never touches plain letters and digits: a hunk that grows,
                # or moves or drops them, is the diff's misalignment.
                continue
            if bad.endswith("â€ ") and good.endswith("†"):
                # "”" is E2 80 9D; 0x9D has no Windows-1252 character, so the
                # byte is often lost, and ftfy takes the next space for the
                # A0 byte of a dagger (E2 80 A0).
                good = good[:-1] + "” "
                reported.append((start, end))
                yield Violation(
                    Span(start, end),
                    f"Mojibake: '{_short(bad)}' is probably '{_short(good)}' (its last byte was lost)",
                    Fix.unsafe(f"Replace with '{_short(good)}'", Edit.replace(start, end, good)),
                )
                continue
            reported.append((start, end))
            yield Violation(
                Span(start, end),
                f"Mojibake: '{_short(bad)}' should be '{_short(good)}'",
                Fix.safe(f"Replace with '{_short(good)}'", Edit.replace(start, end, good)),
            )
    # What ftfy leaves: "â€" with nothing after it that a third byte could
    # have become. It is almost always "”" (E2 80 9D), whose 0x9D byte has no
    # Windows-1252 character and gets lost.
    reported_starts = [a for a, _ in reported]  # in text order, apart
    for m in _LOST_BYTE_RE.finditer(text):
        start, end = m.start(), m.end()
        i = bisect_right(reported_starts, start) - 1
        if (i >= 0 and start < reported[i][1]) or not doc.is_prose(start, end):
            continue
        yield Violation(
            Span(start, end),
            "Mojibake: 'â€' is probably '”' (its last byte was lost)",
            Fix.unsafe("Replace with '”'", Edit.replace(start, end, "”")),
        )


# ftfy repairs a line at a time, and the diff of a line against its repair
# costs the square of its length times its repairs: a line longer than
# _PIECE_CHARS (a paragraph of megabytes) is read in pieces of at most that
# many characters and _PIECE_HINTS garbled sequences, cut after a space that
# follows an ASCII character (no garbled sequence ends there).
_PIECE_CHARS = 2000
_PIECE_HINTS = 8


class _MojibakePieces:
    """The text WS006 repairs at a time: the line, or a piece of a long one."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.cuts: dict[int, list[int]] = {}  # line -> where its pieces start, and its end

    def around(self, at: int) -> Span:
        doc = self.doc
        line, _ = doc.position(at)
        span = doc.line_span(line)
        if span.end - span.start <= _PIECE_CHARS:
            return span
        cuts = self.cuts.get(line)
        if cuts is None:
            cuts = self.cuts[line] = _cut(doc.text, span.start, span.end)
        i = bisect_right(cuts, at) - 1
        return Span(cuts[i], cuts[i + 1])


def _cut(text: str, start: int, end: int) -> list[int]:
    hints = [m.start() for m in _MOJIBAKE_HINT_RE.finditer(text, start, end)]
    cuts = [start]
    pos = start
    while True:
        limit = pos + _PIECE_CHARS
        k = bisect_right(hints, pos)  # the hints after the piece's first character
        if k + _PIECE_HINTS < len(hints) and hints[k + _PIECE_HINTS] < limit:
            limit = hints[k + _PIECE_HINTS]  # cut before this one, at the latest
        if limit >= end:
            break
        cut = limit
        space = text.rfind(" ", pos + 1, limit)
        while space != -1 and not text[space - 1].isascii():
            space = text.rfind(" ", pos + 1, space)
        if space != -1:
            cut = space + 1
        cuts.append(cut)
        pos = cut
    cuts.append(end)
    return cuts


def _short(s: str, limit: int = 30) -> str:
    s = s.encode("unicode_escape").decode("ascii") if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in s) else s
    return s if len(s) <= limit else s[: limit - 1] + "…"


# ------------------------------------------------------------------ WS007
# A possessive word (Python 3.11+) is not backtracked into letter by letter
# when the repetition fails: a third faster on long articles.
_REPEAT_RE = re_compile(r"\b([^\W\d_]+" + ("+" if sys.version_info >= (3, 11) else "")
                        + r")([ \t]+|[ \t]*\n[ \t]*)(\1)\b", re.I)
_REPEAT_AGAIN_RE = re_compile(r"[ \t]+([^\W\d_]+)\b")
_REPEAT_BEFORE_RE = re_compile(r"\b([^\W\d_]+)[ \t]+$")
_QUOTE_CHARS_RE = re_compile(r"[“”\"‘]")


@cache
def _doubles(extra: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in load_data("ws")["legitimate-doubles"]) | {w.lower() for w in extra}


@cache
def _function_words() -> frozenset[str]:
    return frozenset(load_data("ws")["function-words"])


@rule(
    code="WS007",
    name="repeated-word",
    summary="The same word twice in a row",
    fixable="always",
    options=WhitespaceOptions,
)
def repeated_word(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a word typed twice in a row ("the the"), also across a line break
    inside a paragraph. Legitimate doubles ("had had", "that that", "is is",
    "you you"), names written twice in capitals ("Bora Bora", "Walla Walla")
    and words inside quoted speech, where people do repeat themselves, are
    left alone. Extend the list of legitimate doubles with
    `[tool.artlint.ws] legitimate-doubles = [...]`.

    ## Why is this bad?
    A doubled word is the commonest typing slip and the hardest to see when
    proofreading.

    ## Example
    ```text
    The council voted to close the the library.
    ```

    ## Use instead
    ```text
    The council voted to close the library.
    ```

    ## Fix safety
    Removes the second word. Safe for function words (the, of, to, and, ...):
    doubling them is always a slip. Unsafe for other words, where a person
    should read the sentence first.
    """
    if doc.language != "en":
        return  # the list of legitimate doubles is English
    prose = doc.prose
    extra = opts.legitimate_doubles if opts else ()
    quotes = _QuoteTracker(prose)
    for m in _REPEAT_RE.finditer(prose):
        first, second = m.group(1), m.group(3)
        word = first.lower()
        # The word lists load (YAML) only when a repetition is found.
        if word in _doubles(extra) or (len(word) == 1 and word not in ("a", "i")):
            continue
        at_start = _sentence_start(prose, m.start())
        if first[0].isupper() and second[0].isupper():
            continue  # a name: Bora Bora, Walla Walla, Duran Duran, Xiu Xiu
        after = _REPEAT_AGAIN_RE.match(prose, m.end())
        before = _REPEAT_BEFORE_RE.search(prose, max(0, m.start() - len(word) - 4), m.start())
        if (after and after.group(1).lower() == word) or (before and before.group(1).lower() == word):
            continue  # "layers layers layers!": three times is on purpose
        if first != second and not (at_start and first.lower() == second and first[0].isupper()):
            continue  # "Player player", "for For Hire": not a typing slip
        if prose[m.start() - 1 : m.start()] == "-" or prose[m.end() : m.end() + 1] == "-":
            continue  # "business-present present", "in in-person"
        if not doc.is_prose(m.start(), m.end()):
            continue
        if quotes.inside(m.start()):
            continue
        start, end = m.end(1), m.end(3)
        fix_cls = Fix.safe if word in _function_words() else Fix.unsafe
        yield Violation(
            Span(m.start(), m.end()),
            f"Repeated word '{second}'",
            fix_cls(f"Remove the second '{second}'", Edit.delete(start, end)),
        )


def _sentence_start(prose: str, at: int) -> bool:
    i = at - 1
    while i >= 0 and prose[i] in " \t\n\"“‘'(":
        if prose[i] == "\n" and i > 0 and prose[i - 1] == "\n":
            return True
        i -= 1
    return i < 0 or prose[i] in ".!?:"


class _QuoteTracker:
    """Whether an offset lies inside quoted speech in its paragraph: double
    quotes, or single curly quotes (a ’ followed by a letter is an
    apostrophe, not a closing mark). Asked about offsets in increasing
    order, it reads the prose between them once, not the paragraph up to
    each (thousands of repeated words in one long paragraph)."""

    def __init__(self, prose: str) -> None:
        self.prose = prose
        self._reset()

    def _reset(self) -> None:
        self.at = 0  # the offset asked about last: the counts are of prose[para:at]
        self.opens = self.closes = self.straight = 0
        self.single = -1  # the last ‘ in the paragraph before ``at``
        self.closed = False  # a ’ after it closes it
        self.unsearched = 0  # where to look for that ’ from (the last one before may need a letter after)

    def inside(self, at: int) -> bool:
        prose = self.prose
        if at < self.at:
            self._reset()
        start = self.at
        brk = prose.rfind("\n\n", max(0, start - 1), at)  # a paragraph break since the last offset
        if brk != -1:
            self._reset()
            start = brk + 1
        self.opens += prose.count("“", start, at)
        self.closes += prose.count("”", start, at)
        self.straight += prose.count('"', start, at)
        single = prose.rfind("‘", start, at)
        if single != -1:
            self.single, self.closed, self.unsearched = single, False, single + 1
        self.at = at
        if self.opens > self.closes or self.straight % 2 == 1:
            return True
        if self.single == -1 or self.closed:
            return False
        # A closing ’ after the ‘, looked for where not looked for before.
        # One just before ``at`` closes here, but a letter may follow it
        # later: it is looked at again next time.
        close = _CLOSING_SINGLE_RE.search(prose, self.unsearched, at)
        self.unsearched = max(self.unsearched, at - 1)
        if close is None:
            return True
        self.closed = close.start() < at - 1
        return False


_CLOSING_SINGLE_RE = re_compile(r"’(?![^\W\d_])")


# ------------------------------------------------------------------ WS008
_NBSP_RE = re_compile("[\u00a0\u202f\u2007]+")
_CAPITALISED_WORD_RE = re_compile(r"(?:^|\s)[A-Z][a-z]+$")
_NBSP_NEXT_OK = frozenset("%‰°€$£¥§¶#–—-:;!?»›/")
_NBSP_PREV_OK = frozenset("§¶№#$€£«‹–—-/")
_ROMAN_RE = re_compile(r"[IVXLC]+\b")
_INITIAL_RE = re_compile(r"(?:^|[\s(])[A-Z]\.$")


@cache
def _nbsp_abbreviation_re() -> re.Pattern[str]:
    data = load_data("ws")
    titles = sorted(data["nbsp-titles"], key=len, reverse=True)
    abbreviations = sorted(data["nbsp-abbreviations"], key=len, reverse=True)
    return re_compile(
        r"(?:^|[\s(])(?:(?:" + "|".join(map(re.escape, titles)) + r")\.?"
        r"|(?:" + "|".join(map(re.escape, abbreviations)) + r")\.)$"
    )


@rule(
    code="WS008",
    name="non-breaking-space",
    summary="A non-breaking space where a normal space belongs",
    fixable="always",
    options=WhitespaceOptions,
)
def non_breaking_space(doc: Document, opts: WhitespaceOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds non-breaking spaces (U+00A0, U+202F, U+2007) between ordinary
    words, where web pages leave them (`&nbsp;`). The uses typographers
    intend are left alone: between a number and its unit or the next group
    of digits (`10 km`, `100 000`), before a number (`page 12`), after
    abbreviations and initials (`Mr. Smith`, `J. R.`), before roman numerals
    (`World War II`), and next to dashes, currency and percent signs.

    ## Why is this bad?
    A non-breaking space glues words together: lines break in odd places,
    search and find-and-replace miss phrases, and it is invisible in review.

    ## Example
    ```text
    The council\u00a0met on Monday.
    ```

    ## Use instead
    ```text
    The council met on Monday.
    ```

    ## Fix safety
    Safe: the character becomes a normal space (or goes, next to another
    space); what a reader sees does not change.
    """
    text = doc.text
    if text.isascii() or not ("\u00a0" in text or "\u202f" in text or "\u2007" in text):
        return
    for m in _NBSP_RE.finditer(text):
        at, stop = m.start(), m.end()
        if not doc.is_prose(at, stop):
            continue
        before = text[at - 1] if at else ""
        after = text[stop] if stop < len(text) else ""
        run = m.group()
        single = len(run) == 1
        if single and (before.isdigit() or after.isdigit() or after in _NBSP_NEXT_OK or before in _NBSP_PREV_OK):
            continue
        if before in ("", " ", "\t", "\n") or after in (" ", "\t", "\n", ""):
            fix = Fix.safe("Delete the non-breaking space", Edit.delete(at, stop))
        else:
            if single:
                head = text[max(0, at - 12) : at]
                if _nbsp_abbreviation_re().search(head) or _INITIAL_RE.search(head):
                    continue
                if _ROMAN_RE.match(text, stop) and _CAPITALISED_WORD_RE.search(head):
                    continue  # World War II, Louis XIV, Elizabeth I
            fix = Fix.safe("Replace with a normal space", Edit.replace(at, stop, " "))
        what = f"{len(run)} non-breaking spaces" if not single else "Non-breaking space"
        yield Violation(Span(at, stop), f"{what} (U+{ord(run[0]):04X}) where a normal space belongs", fix)
