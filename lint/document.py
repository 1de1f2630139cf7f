"""The Document: one parse of one article, shared by every rule.

``text`` is the article with line breaks normalised to ``\\n`` (the file layer
maps offsets back to the bytes on disk, so CRLF files stay CRLF).  ``prose`` is
a same-length copy of ``text`` in which everything that is not prose (front
matter, code, HTML, URLs, Markdown container markers) is blanked with spaces,
newlines kept: a regex match offset on ``prose`` is a source offset.
``mask`` says per character whether it is prose (1) or not (0); newline
characters count as prose unless they belong to a non-prose block.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property
from typing import Any
from collections.abc import Iterator

from .recache import compile as re_compile
from .types import Record, Span

_set = object.__setattr__

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES

# Bare URLs, www. hosts and e-mail addresses are never prose.  Trailing
# sentence punctuation is left out of the URL (it belongs to the sentence).
# An address starts at the first word character of its run of [\w.+-]
# (where "\b" first holds); the run's leading dots and signs are matched
# outside the group "email", so that the address is tried once per run, not
# at every "\b" of "a.a.a.a…" (each try scans to the run's end: a 10 MB run
# would take days). A run that starts "www." is a URL, as before.
_URL_RE = re_compile(
    r"(?P<url>(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"“”‘’]*[^\s<>\"“”‘’.,;:!?)\]}'*_])"
    r"|(?<![\w.+-])[.+-]*(?!www\.)(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)"
)
_WEB_RE = re_compile(_URL_RE.pattern.split("|(?<!")[0])  # the url alternative alone
_EMAIL_RE = re_compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")  # matched right after another address
_MD_LINK_DEST_RE = re_compile(r"\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)")
_MD_REF_LABEL_RE = re_compile(r"\]\[[^\]\n]*\]")
_HTML_INLINE_RE = re_compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.S)
_HTML_TAG_RE = re_compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")  # _HTML_INLINE_RE less comments
_AUTOLINK_RE = re_compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>")
_BACKTICKS_RE = re_compile(r"`+")
# Plain-text articles sometimes carry code lines (a command, a snippet) that
# prose rules must not judge: a line ending like a statement or block, or
# dense in code punctuation.
# Two searches that each start with a character to look for (a line break,
# a code mark), which the regex engine finds fast; one pattern starting
# with "^" would be tried at every character. The first line's start is
# matched on its own.
_CODE_START = r"[ \t]*(?:[}\])]|(?:\$|>>>|#include|import|def|func|fn|var|let|const|public|private|return)(?=\s))"
_CODE_LINE_START_RE = re_compile(r"\n" + _CODE_START)
_CODE_FIRST_LINE_RE = re_compile(_CODE_START)
_CODE_LINE_END_RE = re_compile(r"[{;][ \t]*$", re.M)
_CODE_MARK_RE = re_compile(r"=>|::|!=|==|->")
# Parentheses and $ are frequent in prose (prices, asides); these are not.
_CODE_CHARS_RE = re_compile(r"[{}\[\];=<>|\\]")
_WORD_RE = re_compile(r"[^\W\d_]+")
# Frequent English function words; none is a frequent word of the other
# languages articles come in (so "a", "in", "die" and "de" are left out).
_ENGLISH_MARKERS = frozenset(
    "the of and to is that for it with as was on are be this by not but have from or "
    "they which you his her their has were been would will there what about when an "
    "he she we him had said who its than into could our out after just".split()
)
_LONG_LINE_RE = re_compile(r"^[^\n]{80}", re.M)  # the start of a line of 80 characters or more
_CR_BEFORE_LF_RE = re_compile(r"\r+\n")  # as files.normalize_newlines
_WHITESPACE_LINE_RE = re_compile(r"^[ \t]+$", re.M)
_BLANK_LINES_RE = re_compile(r"\n(?:[ \t]*\n)+")
# Abbreviations that end in a full stop inside one sentence ("Gov. Hale").
_TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gov sen rep gen lt col capt sgt prof rev st mt jr sr inc co corp ltd vs no".split()
)
# Zero-width characters, soft hyphens and stray BOMs (as WS005 finds them).
_INVISIBLE_CHARS = "\u200b\u2060\ufeff\u00ad\u180e\u200c\u200d\u200e\u200f"
_SENTENCE_END_RE = re_compile(r"[.!?…][\"'”’)\]]*$")
_INNER_SENTENCE_BREAK_RE = re_compile(r"(?<![a-z])([a-z]{2,})([.!?])[\"'”’]?\s+[A-Z]")  # from a word's start only


class Region(Record):
    """A structural part of the article. ``kind`` is one of: front-matter,
    code-block, code-inline, html-comment, html-block, html-inline, url,
    heading, blockquote, list-item, paragraph, table, thematic-break,
    reference."""

    __slots__ = _fields = ("kind", "span")
    kind: str
    span: Span

    def __init__(self, kind: str, span: Span) -> None:
        _set(self, "kind", kind)
        _set(self, "span", span)


class Paragraph(Record):
    """A prose block. ``kind``: headline, heading, paragraph, list-item,
    blockquote, table-cell.  ``span`` covers its text from the first to the
    last prose character (container markers of later lines are masked)."""

    __slots__ = _fields = ("span", "kind", "level")
    span: Span
    kind: str
    level: int  # heading level, 0 otherwise

    def __init__(self, span: Span, kind: str, level: int = 0) -> None:
        _set(self, "span", span)
        _set(self, "kind", kind)
        _set(self, "level", level)


class Headline(Record):
    __slots__ = _fields = ("text", "span", "source")
    text: str
    span: Span
    source: str  # "front-matter", "h1" or "first-line"

    def __init__(self, text: str, span: Span, source: str) -> None:
        _set(self, "text", text)
        _set(self, "span", span)
        _set(self, "source", source)


def straight_quotes(text: str) -> str:
    """``text`` with curly quotation marks and apostrophes made straight
    and no-break spaces plain: the form phrase lists and keys compare.
    (``str.translate`` with a table looks up every character and is some
    thirty times slower than these replacements.)"""
    if text.isascii():
        return text
    return text.replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"').replace("\u00a0", " ")


def document_kind(path: str | None) -> str:
    if path:
        dot = path.rfind(".")
        if dot != -1 and path[dot:].lower() in MARKDOWN_SUFFIXES:
            return "markdown"
    return "text"


class Document:
    """One article. Build with ``Document(path, text)``; everything else is
    computed once, on first use."""

    def __init__(self, path: str | None, text: str, kind: str | None = None) -> None:
        if "\r\n" in text:
            text = _CR_BEFORE_LF_RE.sub("\n", text)
        self.path = path
        self.text = text
        self.kind = kind or document_kind(path)
        self._regions: list[Region] = []
        self._paragraphs: list[Paragraph] = []
        self._headline: Headline | None = None
        self._front_matter: dict[str, Any] | None = None
        self._parsed = False
        self._unread_line: int | None = None
        # Per-document scratch space for rule families that share work.
        self.cache: dict[str, Any] = {}

    # ----------------------------------------------------------- line index
    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    @property
    def line_count(self) -> int:
        """Number of lines; a final newline does not start a new line."""
        n = len(self.line_starts)
        if n > 1 and self.line_starts[-1] == len(self.text):
            n -= 1
        return n

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of :meth:`position` (1-based in, 0-based offset out)."""
        return self.line_starts[line - 1] + column - 1

    def line_span(self, line: int) -> Span:
        """Span of 1-based ``line`` without its line break."""
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        return Span(start, len(self.text) if end == -1 else end)

    def line_text(self, line: int) -> str:
        s = self.line_span(line)
        return self.text[s.start : s.end]

    # ---------------------------------------------------------------- parse
    def _ensure_parsed(self) -> None:
        if self._parsed:
            return
        self._parsed = True
        if self.kind == "markdown":
            self._parse_markdown()
        else:
            self._parse_text()

    @property
    def regions(self) -> list[Region]:
        self._ensure_parsed()
        return self._regions

    @property
    def unread_line(self) -> int | None:
        """Markdown: the first line (1-based) with text that the parser did
        not read because lists or quotes nest past its limit (no rule sees
        that text), or None."""
        self._ensure_parsed()
        return self._unread_line

    @property
    def paragraphs(self) -> list[Paragraph]:
        self._ensure_parsed()
        return self._paragraphs

    @property
    def headline(self) -> Headline | None:
        self._ensure_parsed()
        return self._headline

    @property
    def front_matter(self) -> dict[str, Any]:
        """The parsed YAML front matter (empty when absent or not a mapping)."""
        self._ensure_parsed()
        return self._front_matter or {}

    @property
    def mask(self) -> bytearray:
        self._ensure_parsed()
        return self._mask

    @cached_property
    def prose(self) -> str:
        mask = self.mask
        text = self.text
        if mask.find(0) == -1:
            return text
        out = []
        i, n = 0, len(text)
        while i < n:
            j = mask.find(0, i)
            if j == -1:
                out.append(text[i:])
                break
            out.append(text[i:j])
            k = mask.find(1, j)
            if k == -1:
                k = n
            blanked = text[j:k]
            out.append(re.sub(r"[^\n]", " ", blanked) if "\n" in blanked else " " * (k - j))
            i = k
        return "".join(out)

    def is_prose(self, start: int, end: int) -> bool:
        """True when every character in [start, end) is prose."""
        return self.mask.find(0, start, end) == -1

    def touches_mask(self, span: Span, replacement: str = "") -> bool:
        """True when an edit of ``span`` would change or split non-prose text.

        Deleting whole lines is judged by blocks, not characters: a heading's
        ``##``, a list bullet or a link target go with their line, but no
        line of code, front matter or HTML is ever deleted."""
        mask = self.mask
        if (
            not replacement
            and span.end > span.start
            and (span.start == 0 or self.text[span.start - 1] == "\n")
            and (span.end == len(self.text) or self.text[span.end - 1] == "\n")
        ):
            starts, reach = self._protected_index
            i = bisect_left(starts, span.end)  # the blocks starting before the span ends
            return i > 0 and reach[i - 1] > span.start
        if span.start == span.end:
            # An insert may not land strictly inside a masked run.
            return 0 < span.start < len(mask) and mask[span.start - 1] == 0 and mask[span.start] == 0
        return mask.find(0, span.start, span.end) != -1

    @cached_property
    def _protected_index(self) -> tuple[list[int], list[int]]:
        """The starts of the protected blocks (code, front matter, HTML),
        sorted, and the furthest end among the blocks up to each: whether a
        span meets one is a binary search (a fix pass deleting thousands of
        lines asks once per line)."""
        blocks = sorted((r.span.start, r.span.end) for r in self.regions if r.kind in _PROTECTED_BLOCKS)
        starts = [start for start, _ in blocks]
        reach: list[int] = []
        furthest = -1
        for _, end in blocks:
            furthest = max(furthest, end)
            reach.append(furthest)
        return starts, reach

    @cached_property
    def language(self) -> str:
        """``"en"`` when the prose reads as English, else ``"other"`` (a cheap
        guess from function words, enough to keep English-only rules quiet on
        articles in other languages)."""
        # Some 500 words are plenty for a guess, from the long lines: a
        # saved page's menus and footers are short lines of any language.
        prose = self.prose
        sample: list[str] = []
        size = 0
        for m in _LONG_LINE_RE.finditer(prose):
            end = prose.find("\n", m.start(), m.start() + 3000)  # a 10 MB paragraph is one line
            sample.append(prose[m.start() : m.start() + 3000 if end == -1 else end])
            size += len(sample[-1])
            if size >= 3000:
                break
        if size < 1000:
            middle = max(0, len(prose) // 2 - 2500)
            sample = [prose[middle : middle + 5000]]
        found = _WORD_RE.findall(" ".join(sample).lower())
        words, hits = len(found), sum(map(_ENGLISH_MARKERS.__contains__, found))
        if words < 40:
            # Too short for a ratio: one English function word will do.
            return "en" if hits or words < 5 else "other"
        return "en" if hits / words >= 0.08 else "other"

    def paragraph_text(self, p: Paragraph) -> str:
        return self.text[p.span.start : p.span.end]

    # ------------------------------------------------------------ plain text
    def _parse_text(self) -> None:
        text = self.text
        self._mask = bytearray(b"\x01") * len(text)
        code_lines: set[int] = set()
        starts = self.line_starts
        if _CODE_FIRST_LINE_RE.match(text):
            code_lines.add(0)
        for m in _CODE_LINE_START_RE.finditer(text):
            code_lines.add(bisect_right(starts, m.start() + 1) - 1)
        for pattern in (_CODE_LINE_END_RE, _CODE_MARK_RE):
            for m in pattern.finditer(text):
                code_lines.add(bisect_right(starts, m.start()) - 1)
        # Lines dense in code punctuation (counted only where it occurs).
        per_line: dict[int, int] = {}
        for m in _CODE_CHARS_RE.finditer(text):
            line = bisect_right(self.line_starts, m.start()) - 1
            per_line[line] = per_line.get(line, 0) + 1
        for line, count in per_line.items():
            if count >= 3 and line not in code_lines:
                span = self.line_span(line + 1)
                if count >= max(3, (span.end - span.start) // 12):
                    code_lines.add(line)
        for line in sorted(code_lines):
            span = self.line_span(line + 1)
            if span.end > span.start:
                self._mask_span(span.start, span.end)
                self._regions.append(Region("code-block", span))
        for start, end in _url_spans(text, 0, len(text)):
            self._mask_span(start, end)
            self._regions.append(Region("url", Span(start, end)))
        # The blocks between blank lines, each from its first to its last
        # character that is not whitespace (one loop, no call per block:
        # this runs for every paragraph of every article).
        bounds = [0]
        for sep in _BLANK_LINES_RE.finditer(text):
            bounds += sep.span()
        bounds.append(len(text))
        paragraphs: list[Span] = []
        for pos, end in zip(bounds[::2], bounds[1::2]):
            block = text[pos:end]
            stripped = block.strip()
            if stripped:
                lead = pos + len(block) - len(block.lstrip())
                paragraphs.append(Span(lead, lead + len(stripped)))
        headline = None
        if paragraphs:
            first = paragraphs[0]
            line = text[first.start : first.end]
            following = text[paragraphs[1].start : paragraphs[1].end] if len(paragraphs) > 1 else ""
            if self._looks_like_headline(line, following) and text[first.end : first.end + 2] == "\n\n":
                headline = Headline(line, first, "first-line")
        for span in paragraphs:
            kind = "headline" if headline is not None and span is headline.span else "paragraph"
            self._paragraphs.append(Paragraph(span, kind))
            self._regions.append(Region(kind if kind != "headline" else "heading", span))
        self._headline = headline

    @staticmethod
    def _looks_like_headline(line: str, following: str) -> bool:
        if "\n" in line or len(line) > 250 or len(line.split()) > 30:
            return False
        stripped = line.rstrip()
        if stripped[-1:] in {",", ";", "-", "–", "—", "("}:
            return False
        # More than one sentence: the article has no headline line, it starts
        # with a paragraph. ("Gov. Hale Signs Bill." is one sentence.)
        for m in _INNER_SENTENCE_BREAK_RE.finditer(stripped):
            word = stripped[: m.end(1)].split()[-1].lower()
            if m.group(2) == "." and word in _TITLE_ABBREVIATIONS:
                continue
            if _SENTENCE_END_RE.search(stripped):
                return False
        # Cut in mid-sentence: the next paragraph carries on in lower case
        # (judged past invisible characters, which WS005 deletes).
        following = following.lstrip(_INVISIBLE_CHARS)
        if not _SENTENCE_END_RE.search(stripped) and following[:1].islower():
            return False
        return True

    # -------------------------------------------------------------- markdown
    def _mask_span(self, start: int, end: int) -> None:
        if end > start:
            self._mask[start:end] = bytes(end - start)

    def _mask_block_lines(self, first_line: int, last_line: int) -> Span:
        """Mask 0-based lines [first_line, last_line) entirely, newlines too."""
        starts = self.line_starts
        start = starts[first_line] if first_line < len(starts) else len(self.text)
        end = starts[last_line] if last_line < len(starts) else len(self.text)
        self._mask_span(start, end)
        return Span(start, end)

    def _parse_markdown(self) -> None:
        from ._markdown import MAX_NESTING, parse

        text = self.text
        n = len(text)
        # Start with everything masked but newlines, then open up prose.
        mask = bytearray(n)
        i = text.find("\n")
        while i != -1:
            mask[i] = 1
            i = text.find("\n", i + 1)
        # Lines of only whitespace between blocks are prose too (WS rules
        # judge them); blocks masked below take theirs back.
        for m in _WHITESPACE_LINE_RE.finditer(text):
            mask[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        self._mask = mask
        # markdown-it breaks lines at a lone CR too; Document does not. Hide
        # them (same length) so that both agree on line numbers. It also
        # reads NUL as U+FFFD: so does the source its content is found in.
        md_source = text.replace("\r", " ") if "\r" in text else text
        self._md_source = md_source.replace("\x00", "\ufffd") if "\x00" in md_source else md_source
        tokens = parse(self._md_source)
        if tokens and max(t.level for t in tokens) >= MAX_NESTING - 1:
            self._unread_line = _unread_line(tokens, self._md_source)
        starts = self.line_starts
        containers: list[str] = []
        first_block = True
        for idx, tok in enumerate(tokens):
            ttype = tok.type
            if ttype.endswith("_open") and ttype in _CONTAINERS:
                containers.append(_CONTAINERS[ttype])
                if tok.map:
                    self._regions.append(Region(_CONTAINERS[ttype], self._lines_span(*tok.map)))
                continue
            if ttype.endswith("_close") and ttype[:-6] + "_open" in _CONTAINERS:
                if containers:
                    containers.pop()
                continue
            if ttype == "front_matter":
                span = self._mask_block_lines(*tok.map)
                self._regions.append(Region("front-matter", span))
                self._front_matter = _load_front_matter(tok.content)
                continue
            if ttype in ("fence", "code_block"):
                first_line, last_line = tok.map
                if ttype == "fence" and not self._fence_closed(tok):
                    if not containers or not text[starts[last_line] if last_line < len(starts) else len(text):].strip():
                        last_line = len(starts)  # an unclosed fence runs to the end of the article
                    else:
                        # In a list item or quote it ends with its container;
                        # blank lines markdown-it counts in before the text
                        # that ends the container are not code (at the end
                        # of the article they are).
                        if last_line < self.line_count:
                            while last_line - 1 > first_line and not self.line_text(last_line).strip():
                                last_line -= 1
                span = self._mask_block_lines(first_line, last_line)
                self._regions.append(Region("code-block", span))
                first_block = False
                continue
            if ttype == "html_block":
                span = self._mask_block_lines(*tok.map)
                kind = "html-comment" if tok.content.lstrip().startswith("<!--") else "html-block"
                self._regions.append(Region(kind, span))
                continue
            if ttype == "hr":
                self._regions.append(Region("thematic-break", self._lines_span(*tok.map)))
                first_block = False
                continue
            if ttype != "inline" or not tok.map:
                continue
            parent = tokens[idx - 1] if idx else None
            ptype = parent.type if parent is not None else ""
            if ptype == "heading_open":
                kind, level = "heading", int(parent.tag[1:])
            elif ptype in ("th_open", "td_open"):
                kind, level = "table-cell", 0
            elif "blockquote" in containers:
                kind, level = "blockquote", 0
            elif "list-item" in containers:
                kind, level = "list-item", 0
            else:
                kind, level = "paragraph", 0
            span = self._open_inline(tok, kind)
            if span is None:
                continue
            if kind == "heading" and level == 1 and first_block and not containers:
                kind = "headline"
                self._headline = Headline(text[span.start : span.end], span, "h1")
            if kind != "table-cell" or not self._paragraphs or self._paragraphs[-1].span != span:
                self._paragraphs.append(Paragraph(span, kind, level))
            self._regions.append(Region(_PARAGRAPH_REGION.get(kind, kind), span))
            first_block = False
        # Link reference definitions and other lines markdown-it consumed
        # without a token stay masked: they are not prose.
        title = (self._front_matter or {}).get("title")
        if isinstance(title, str) and title.strip():
            fm = next(r for r in self._regions if r.kind == "front-matter")
            at = text.find(title.strip(), fm.span.start, fm.span.end)
            span = Span(at, at + len(title.strip())) if at != -1 else fm.span
            self._headline = Headline(title.strip(), span, "front-matter")
            # A leading H1 is then an ordinary heading (HL rules compare them).
            self._paragraphs = [
                Paragraph(p.span, "heading", p.level) if p.kind == "headline" else p
                for p in self._paragraphs
            ]
        del starts

    def _fence_closed(self, tok: Any) -> bool:
        first, last = tok.map
        if last - first < 2:
            return False
        # The map's last line (1-based ``last``), less blockquote markers.
        closing = self.line_text(last).lstrip(" \t>").strip()
        return len(closing) >= len(tok.markup) and set(closing) == {tok.markup[0]}

    def _lines_span(self, first_line: int, last_line: int) -> Span:
        starts = self.line_starts
        start = starts[first_line] if first_line < len(starts) else len(self.text)
        end = starts[last_line] - 1 if last_line < len(starts) else len(self.text)
        return Span(start, max(start, end))

    _table_cursor: dict[int, int]

    def _open_inline(self, tok: Any, kind: str) -> Span | None:
        """Unmask the source characters of an inline token's content and mask
        the inline parts that are not prose. Returns the content span."""
        text = self._md_source  # same length as self.text
        starts = self.line_starts
        first, last = tok.map
        content_lines = tok.content.split("\n")
        if kind == "table-cell":
            # One row line holds several cells: search after the previous one.
            if not hasattr(self, "_table_cursor"):
                self._table_cursor = {}
            line_start = starts[first]
            line_end = text.find("\n", line_start)
            line_end = len(text) if line_end == -1 else line_end
            cursor = self._table_cursor.get(first, line_start)
            cell = content_lines[0]
            if not cell:
                return None
            at = text.find(cell, cursor, line_end)
            if at == -1:
                return None
            self._table_cursor[first] = at + len(cell)
            pieces = [(at, at + len(cell))]
        else:
            pieces = []
            li = first
            for cl in content_lines:
                # Find this content line in the next source line that holds it
                # (setext underlines and lazy lines never hold content).
                while li < last:
                    ls = starts[li]
                    le = text.find("\n", ls)
                    le = len(text) if le == -1 else le
                    li += 1
                    if not cl:
                        break
                    at = text.find(cl, ls, le)
                    if at != -1:
                        pieces.append((at, at + len(cl)))
                        break
        if not pieces:
            return None
        mask = self._mask
        for a, b in pieces:
            mask[a:b] = b"\x01" * (b - a)
            # Trailing whitespace on a prose line is prose (WS rules see it).
            e = b
            while e < len(text) and text[e] in " \t":
                e += 1
            if e > b:
                mask[b:e] = b"\x01" * (e - b)
        start, end = pieces[0][0], pieces[-1][1]
        children = tok.children or []
        kinds = {c.type for c in children}
        if "code_inline" in kinds:
            self._mask_inline_code(start, end, sum(1 for c in children if c.type == "code_inline"))
        if "html_inline" in kinds or "<" in tok.content:
            for m in _html_inline(text, start, end):
                if m.group().startswith("<!--") or "html_inline" in kinds:
                    self._mask_if_prose(m.start(), m.end(), "html-comment" if m.group().startswith("<!--") else "html-inline")
            for m in _AUTOLINK_RE.finditer(text, start, end):
                self._mask_if_prose(m.start(), m.end(), "url")
        if "link_open" in kinds or "image" in kinds or "](" in tok.content:
            for m in _MD_LINK_DEST_RE.finditer(text, start, end):
                self._mask_if_prose(m.start() + 1, m.end(), "url")
            for m in _MD_REF_LABEL_RE.finditer(text, start, end):
                self._mask_if_prose(m.start() + 1, m.end(), "reference")
        for a, b in _url_spans(text, start, end):
            self._mask_if_prose(a, b, "url")
        return Span(start, end)

    def _mask_if_prose(self, start: int, end: int, kind: str) -> None:
        if self._mask.find(1, start, end) != -1:
            self._mask_span(start, end)
            self._regions.append(Region(kind, Span(start, end)))

    def _mask_inline_code(self, start: int, end: int, count: int) -> None:
        text = self.text
        pos = start
        found = 0
        while found < count:
            m = _BACKTICKS_RE.search(text, pos, end)
            if m is None:
                return
            ticks = m.group()
            close = m.end()
            while True:
                c = _BACKTICKS_RE.search(text, close, end)
                if c is None:
                    break
                if c.group() == ticks:
                    break
                close = c.end()
            if c is None:
                pos = m.end()  # a lone backtick run is literal text
                continue
            self._mask_span(m.start(), c.end())
            self._regions.append(Region("code-inline", Span(m.start(), c.end())))
            pos = c.end()
            found += 1


_LEAF_BLOCKS = frozenset({"paragraph_open", "heading_open", "fence", "code_block", "html_block", "hr",
                          "table_open", "front_matter"})
_MARKERS_ONLY_RE = re_compile(r"[\s>*+-]*(?:\d{1,9}[.)][\s>*+-]*)*")


def _unread_line(tokens: list, source: str) -> int | None:
    """The first line with text that no block of ``tokens`` covers: the
    parser skipped it (nesting past its limit). Lines of markers alone
    ("> > -") hold no text."""
    read = set()
    for t in tokens:
        if t.type in _LEAF_BLOCKS and t.map:
            read.update(range(t.map[0], t.map[1]))
    for number, line in enumerate(source.split("\n")):
        if number not in read and not _MARKERS_ONLY_RE.fullmatch(line):
            return number + 1
    return None


def _url_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Where the URLs and e-mail addresses of text[start:end] are."""
    if text.find("@", start, end) == -1:
        # No address can be there: the web addresses alone, without trying
        # an address at the start of every word (most articles), and only
        # when one can be there at all.
        if text.find("://", start, end) == -1 and text.find("www.", start, end) == -1:
            return
        for m in _WEB_RE.finditer(text, start, end):
            yield m.span()
        return
    pos = start
    while True:
        m = _URL_RE.search(text, pos, end)
        if m is None:
            return
        if m.group("url") is not None:
            yield m.span("url")
            pos = m.end()
            continue
        yield m.span("email")
        pos = m.end()
        # An address glued to the one before ("a@b.org+c@d.org") starts
        # right after it, inside the run of [\w.+-]: "\b" holds there.
        while pos < end and text[pos] in ".+-":
            glued = _EMAIL_RE.match(text, pos, end)
            if glued is None:
                break
            yield glued.span()
            pos = glued.end()


def _html_inline(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The matches of _HTML_INLINE_RE in text[start:end]. After the last
    "-->" no comment can close: only tags are looked for there, or each
    "<!--" of a paragraph of them would scan to its end."""
    close = text.rfind("-->", start, end)
    pos = start
    if close != -1:
        for m in _HTML_INLINE_RE.finditer(text, start, close + 3):
            yield m
            pos = m.end()
    # A tag that runs past close + 3 is found here (no "<" is inside one).
    yield from _HTML_TAG_RE.finditer(text, pos, end)


_PROTECTED_BLOCKS = frozenset({"front-matter", "code-block", "html-block", "html-comment"})
_CONTAINERS = {
    "blockquote_open": "blockquote",
    "list_item_open": "list-item",
    "table_open": "table",
}
_PARAGRAPH_REGION = {"headline": "heading", "table-cell": "table"}


def _load_front_matter(content: str) -> dict[str, Any] | None:
    import yaml

    try:
        data = yaml.load(content, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None
