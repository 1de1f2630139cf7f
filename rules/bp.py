"""BP: boilerplate — the page around the article, carried in by a scraper.

Phrase lists live in ``bp.yaml`` (by kind of page furniture) and are extended
from the config. Lines are matched whole, after normalisation, so a sentence
that merely uses the words ("she did not reply", "read more widely") is never
flagged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from typing import NamedTuple

from artlint.data import load_data
from artlint.document import Document, straight_quotes
from artlint.edits import delete_lines
from artlint.recache import compile as re_compile, first_chars, max_width
from artlint.registry import rule
from artlint.types import Edit, Fix, Span, Violation


class BoilerplateOptions(NamedTuple):
    #: More whole-line patterns (regular expressions over the normalised line).
    extra_lines: tuple[str, ...] = ()
    #: More end-of-paragraph fragments (regular expressions, case ignored).
    extra_fragments: tuple[str, ...] = ()
    #: Lines longer than this (in characters) are never boilerplate lines.
    max_line_length: int = 200
    #: BP004: the fewest lines a run of page chrome must have.
    chrome_min_lines: int = 8
    #: BP004: the fewest lines of a run that BP001 recognises on their own.
    chrome_min_anchors: int = 3

    def validate(self) -> None:
        # The config's own patterns: a clear error when the config is read,
        # not a rule failing on every file; and none that can backtrack
        # exponentially (BP001 and BP002 run them on every line). The check
        # and its module load only when the config has such patterns.
        if not (self.extra_lines or self.extra_fragments):
            return
        from artlint.yamlrules import backtracking_risk

        for key, patterns, flags in (("extra-lines", self.extra_lines, 0),
                                     ("extra-fragments", self.extra_fragments, re.IGNORECASE)):
            for i, pattern in enumerate(patterns):
                try:
                    re_compile(pattern, flags)
                except re.error as exc:
                    raise ValueError(f"{key}[{i}]: invalid regular expression {pattern!r}: {exc}") from None
                risk = backtracking_risk(pattern, ignorecase=bool(flags))
                if risk:
                    raise ValueError(f"{key}[{i}]: the regular expression {pattern!r} can backtrack "
                                     f"exponentially ({risk}); rewrite it") from None


_LEAD_CHARS = " \t\n-*+•·»›>|#[]_~"
_TRAIL_CHARS = " \t\n.:;,!…»›>|-–—_~[]→"
_SPACES_RE = re_compile(r"\s+")
_LINK_RE = re_compile(r"\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")


def normalise_line(line: str, lower: bool = True) -> str:
    """The form BP001 matches: straight quotes, no bullets or trailing
    punctuation, single spaces, lower case (unless ``lower`` is false)."""
    s = straight_quotes(line)
    if "](" in s:
        s = _LINK_RE.sub("", s)  # [Read more](https://…)
    s = s.lstrip(_LEAD_CHARS).rstrip(_TRAIL_CHARS)
    if "  " in s or "\t" in s or "\n" in s:
        s = _SPACES_RE.sub(" ", s)
    return s.lower() if lower else s


def _group_name(category: str) -> str:
    return re.sub(r"\W", "_", category)


def _max_width(pattern: str) -> int:
    """The most characters ``pattern`` can match (a large number when it is
    unbounded, or when the regex parser cannot say)."""
    width = max_width(pattern)
    return _UNBOUNDED if width is None else min(width, _UNBOUNDED)


_UNBOUNDED = 1 << 30
#: Lines longer than this are matched only against the patterns that can
#: match that much (most patterns are a few words).
_LONG_LINE = 60


@cache
def _line_groups(extra: tuple[str, ...]) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(group name, category, patterns) of BP001's whole-line patterns,
    the configured ones last: what both alternations are built from."""
    table = dict(load_data("bp")["lines"])
    if extra:
        table["configured"] = list(extra)
    return tuple((f"{_group_name(category)}_{i}", category, tuple(patterns))
                 for i, (category, patterns) in enumerate(table.items()))


def _alternation(groups: Iterable[tuple[str, list[str]]]) -> re.Pattern[str]:
    parts = [f"(?P<{group}>" + "|".join(f"(?:{p})" for p in patterns) + ")" for group, patterns in groups if patterns]
    return re_compile("(?:" + "|".join(parts) + ")" if parts else "(?!)")


class _ByFirstChar:
    """An alternation of whole-line patterns (named groups by category),
    split by the first character of the line: a line is tried against the
    patterns that can start with that character, in their order, and those
    that may start with any (most lines start with a letter few patterns
    do); a line starting with a character no pattern names, against those
    that may start with any and those whose \\d may match it.
    ``fullmatch`` answers as the whole alternation's would."""

    __slots__ = ("_by_char", "_any")

    def __init__(self, groups: list[tuple[str, list[str]]]) -> None:
        firsts = {p: first_chars(p) for _, patterns in groups for p in patterns}
        chars = sorted({c for first in firsts.values() if first for c in first} - {""})
        self._any = _alternation((g, [p for p in ps if firsts[p] is None or "" in firsts[p]]) for g, ps in groups)
        compiled: dict[tuple, re.Pattern[str]] = {}
        self._by_char: dict[str, re.Pattern[str]] = {}
        for c in chars:
            chosen = [(g, [p for p in ps if firsts[p] is None or c in firsts[p]]) for g, ps in groups]
            key = tuple((g, tuple(ps)) for g, ps in chosen if ps)
            if key not in compiled:
                compiled[key] = _alternation(chosen)
            self._by_char[c] = compiled[key]

    def fullmatch(self, line: str) -> re.Match[str] | None:
        return self._by_char.get(line[:1], self._any).fullmatch(line)


@cache
def _line_patterns(extra: tuple[str, ...]) -> tuple[_ByFirstChar, re.Pattern[str] | None, dict[str, str]]:
    """One alternation per family (named groups by category), compiled once."""
    groups = _line_groups(extra)
    names = {group: category for group, category, _ in groups}
    plain = _ByFirstChar([(group, list(patterns)) for group, _, patterns in groups])
    cased_table = load_data("bp").get("case-sensitive-lines")
    cased = None
    if cased_table:
        cased_groups = [(f"{_group_name(category)}_c{i}", category, patterns)
                        for i, (category, patterns) in enumerate(cased_table.items())]
        names.update((group, category) for group, category, _ in cased_groups)
        cased = _alternation((group, patterns) for group, _, patterns in cased_groups)
    for group, category, _needs, _pattern in _guarded_table():
        names[group] = category
    return plain, cased, names


@cache
def _guarded_table() -> tuple[tuple[str, str, tuple[str, ...], str], ...]:
    """(group name, category, words, pattern) of `guarded-lines`."""
    table = load_data("bp").get("guarded-lines") or {}
    return tuple((f"{_group_name(category)}_g{i}_{j}", category, tuple(entry["needs"]), entry["pattern"])
                 for i, (category, entries) in enumerate(table.items()) for j, entry in enumerate(entries))


@cache
def _guarded_patterns() -> tuple:
    """The patterns of `guarded-lines`, as (all their words, ((words,
    pattern), ...)), or () when there are none: each is tried only on a
    line with one of its words in it, and a look for the words rules out
    most lines (a sentence matched whole, or a pattern that must look
    through the whole line, is slow to rule out by a regular expression
    alone)."""
    table = _guarded_table()
    if not table:
        return ()
    words = tuple(sorted({word for _, _, needs, _ in table for word in needs}))
    return words, tuple((needs, re_compile(f"(?P<{group}>{pattern})")) for group, _, needs, pattern in table)


@cache
def _long_line_pattern(extra: tuple[str, ...]) -> _ByFirstChar:
    """The alternation of _line_patterns less the patterns that can match
    no more than _LONG_LINE characters, with the same group names: what a
    longer line is matched against."""
    return _ByFirstChar([(group, [p for p in patterns if _max_width(p) > _LONG_LINE])
                         for group, _, patterns in _line_groups(extra)])


_DEFAULT_OPTIONS = BoilerplateOptions()
_BYLINE = "byline and page details"


def _match_line(line: str, plain: _ByFirstChar, cased: re.Pattern[str] | None,
                longer: _ByFirstChar, guarded: tuple = ()) -> tuple[re.Match[str] | None, str]:
    """BP001's match for one line, and the line normalised (the patterns of
    _line_patterns and _long_line_pattern, then those of ``guarded`` whose
    words the line has, then the case-sensitive ones: "By Ana Ruiz All
    Rights Reserved" is a copyright line, not a byline)."""
    as_written = normalise_line(line, lower=False)
    normalised = as_written.lower()
    m = (longer if len(normalised) > _LONG_LINE else plain).fullmatch(normalised)
    if m is None and guarded:
        for word in guarded[0]:
            if word in normalised:
                for needs, pattern in guarded[1]:
                    if any(need in normalised for need in needs):
                        m = pattern.fullmatch(normalised)
                        if m is not None:
                            break
                break
    if m is None and cased is not None and normalised.count(" ") < 16:
        m = cased.fullmatch(as_written)  # bylines are short
    return m, normalised


def _line_info(doc: Document, start: int, end: int, opts: BoilerplateOptions) -> tuple[re.Match[str] | None, str]:
    """_match_line for the line text[start:end], once per document (BP004
    and HL ask about the same lines)."""
    memo = doc.cache.setdefault(("bp-match", opts.extra_lines), {})
    info = memo.get(start)
    if info is None:
        plain, cased, _ = _line_patterns(opts.extra_lines)
        longer = _long_line_pattern(opts.extra_lines)
        info = memo[start] = _match_line(doc.text[start:end], plain, cased, longer, _guarded_patterns())
    return info


def _block_line_info(doc: Document, opts: BoilerplateOptions) -> dict[int, tuple[re.Match[str] | None, str]]:
    """_line_info for the first line of every block of _line_blocks no
    longer than ``max-line-length``, by its start: all of them in one loop
    (BP001 and BP004 ask about each), into the same memo."""
    memo = doc.cache.setdefault(("bp-match", opts.extra_lines), {})
    done = ("bp-match-blocks", opts.extra_lines, opts.max_line_length)
    if done in doc.cache:
        return memo
    plain, cased, _ = _line_patterns(opts.extra_lines)
    longer = _long_line_pattern(opts.extra_lines)
    guarded = _guarded_patterns()
    text = doc.text
    limit = opts.max_line_length
    for _first, _last, start, line_end, _end in _line_blocks(doc):
        if line_end - start <= limit and start not in memo:
            memo[start] = _match_line(text[start:line_end], plain, cased, longer, guarded)
    doc.cache[done] = True
    return memo


def is_boilerplate_line(doc: Document, start: int, end: int, opts: BoilerplateOptions = _DEFAULT_OPTIONS) -> bool:
    """Whether text[start:end], a whole line, is one BP001's patterns know
    (the built-in ones unless ``opts`` adds some)."""
    return _line_info(doc, start, end, opts)[0] is not None


def _candidate_lines(doc: Document, infos: dict[int, tuple[re.Match[str] | None, str]],
                     max_length: int) -> Iterator[tuple[int, int, int, int, str, re.Match[str]]]:
    """The lines that stand alone and that BP001's patterns match (``infos``,
    from _block_line_info), as (line, index in _line_blocks, start, end,
    kind, match), with the kind of their paragraph: a whole
    paragraph, or a line of a paragraph that does not carry on a sentence
    from the line before (pages scraped one block per line have no blank
    lines; wrapped prose does not start a line in lower case after a line
    that ends mid-sentence)."""
    blocks = _line_blocks(doc)
    unsure = doc.cache["bp-unsure"]
    kinds: dict[int, str] | None = None
    for index, (first, _last, start, line_end, _end) in enumerate(blocks):
        if line_end - start > max_length:
            continue
        m = infos[start][0]
        if m is None or start in unsure:
            continue  # most lines: checked before the paragraphs' kinds are read
        if kinds is None:
            kinds = {p.span.start: p.kind for p in doc.paragraphs}
        para = doc.line_starts[first - 1]
        yield first, index, start, line_end, kinds.get(start, kinds.get(para, "paragraph")), m


#: A line is taken to carry on the one before when it starts in lower case
#: and that one has more words than this: the lines of wrapped prose are
#: long, while "reply" under "Jo Lee" or "3 comments" starts a line of its own.
_MIN_WRAPPED = 3


_CLOSERS = "\"”’)]"


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends with a sentence end (closing quotes and
    brackets aside)."""
    k = end - 1
    while k > start and text[k] in _CLOSERS:
        k -= 1
    return text[k] in ".!?…"


def _line_blocks(doc: Document) -> list[list[int]]:
    """[first line, last line, start, end of the first line, end] of each
    line that stands alone, with the lines that carry on its sentence.
    Computed once per document (BP001 and BP004 read them)."""
    cached = doc.cache.get("bp-blocks")
    if cached is not None:
        return cached
    text = doc.text
    function_words = _function_words()
    blocks: list[list[int]] = []
    unsure: set[int] = set()  # the starts of lines split from the line before on a guess
    prev_line = prev_start = -1
    for line, start, end in _prose_lines(doc):
        continues = False
        if blocks and prev_line == line - 1:  # the same paragraph, the next line
            prev_end = blocks[-1][4]
            last_char = text[prev_end - 1]
            prev_words = len(text[prev_start:prev_end].split())
            if text[start].islower():
                continues = prev_words > _MIN_WRAPPED
            elif prev_words > 8 and (last_char in ",;-–(" or last_char.isalpha()):
                # A capital after a line cut mid-sentence: a name carrying
                # the sentence on ("... said the chair of the\nHarbour
                # Board."), or the page's next item under a line that ends
                # without a full stop ("... playing the guitar\nShare This").
                # A comma, a word that cannot end a sentence, or a full stop
                # ending this line tells the sentence carries on. A longer
                # line that stands alone so is no candidate for BP001 (it
                # may carry a sentence of wrapped prose on: "... later
                # told\nReuters via email: ..."), only a line of a block.
                continues = (last_char in ",;-–(" or _ends_sentence(text, start, end)
                             or text[prev_start:prev_end].rsplit(None, 1)[-1].lower() in function_words)
                if not continues and text.count(" ", start, end) >= 8:
                    unsure.add(start)
        if continues:
            blocks[-1][1], blocks[-1][4] = line, end
        else:
            blocks.append([line, line, start, end, end])
        prev_line, prev_start = line, start
    doc.cache["bp-blocks"] = blocks
    doc.cache["bp-unsure"] = unsure
    return blocks


def _prose_lines(doc: Document) -> list[tuple[int, int, int]]:
    """(line number, start, end) of every line of a body paragraph, from its
    first to its last prose character, and any non-prose (a URL, inline
    code) between or after them kept in: "Website: https://…" is not
    "Website:". Computed once per document (BP001 and BP004 read them)."""
    cached = doc.cache.get("bp-lines")
    if cached is None:
        cached = doc.cache["bp-lines"] = _scan_prose_lines(doc)
    return cached


_NON_SPACE_RE = re_compile(r"\S")


def _scan_prose_lines(doc: Document) -> list[tuple[int, int, int]]:
    prose = doc.prose
    text = doc.text
    starts = doc.line_starts
    out: list[tuple[int, int, int]] = []
    add = out.append
    for p in doc.paragraphs:
        if p.kind == "headline":
            continue
        a0, b0 = p.span.start, p.span.end
        first = bisect_right(starts, a0)  # the line of a0 (1-based)
        breaks = bisect_right(starts, b0, first) - first  # line breaks in [a0, b0)
        if not breaks:  # one line: most paragraphs of plain text (what the loop below does)
            if a0 < b0 and not prose[a0].isspace():
                start = a0
            else:
                m = _NON_SPACE_RE.search(prose, a0, b0)
                if m is None:
                    continue
                start = m.start()
            end = b0
            while end > start and text[end - 1].isspace():
                end -= 1
            add((first, start, end))
            continue
        for line in range(first, first + breaks + 1):
            a = max(starts[line - 1], a0)
            b = text.find("\n", a, b0) if breaks else -1
            if b == -1:
                b = b0
            if a < b and not prose[a].isspace():
                start = a  # most lines: prose from their first character
            else:
                m = _NON_SPACE_RE.search(prose, a, b)
                if m is None:
                    continue  # nothing but masked text (code, a URL) on the line
                start = m.start()
            end = b
            while end > start and text[end - 1].isspace():
                end -= 1
            add((line, start, end))
    return out


@rule(
    code="BP001",
    name="boilerplate-line",
    summary="A line left over from the web page around the article",
    severity="error",
    fixable="always",
    options=BoilerplateOptions,
)
def boilerplate_line(doc: Document, opts: BoilerplateOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds whole lines that belong to the page around an article, not to the
    article: comment forms ("Leave a Reply", "Your email address will not be
    published."), related-content prompts ("More to read:", "You may also
    like", "READ MORE: …"), share, follow and subscribe prompts, newsletter
    and paywall prompts, cookie and advertising notices, the buttons of a
    buying guide ("Check price at …"), photo credits left as paragraphs,
    copyright footers, bylines and reading times from the page chrome,
    breadcrumbs and tag lists, and navigation ("Click here", "Back to
    top"). A line matches only as a whole, after case, quotes, bullets and
    trailing punctuation are set aside, so a sentence that merely uses the
    words is never flagged, and a word over the cells of a table ("Share"
    heading a column of vote shares) is the table's. A page has one byline:
    bylines naming several people ("By Ann Lee", later "By Raj Patel") are
    the credits of a roundup's entries and are not reported. The patterns are in `bp.yaml`,
    grouped by kind; add your own with `[tool.artlint.bp] extra-lines = [...]`.

    ## Why is this bad?
    Scraped and pasted articles carry the furniture of the page they came
    from. Readers see a comment form in the middle of a news story.

    ## Example
    ```text
    The council will vote again in May.

    Leave A Reply

    Your email address will not be published.
    ```

    ## Use instead
    ```text
    The council will vote again in May.
    ```

    ## Fix safety
    Safe: the line is deleted, and one blank line is kept between the
    paragraphs around it.
    """
    opts = opts or BoilerplateOptions()
    _, cased, names = _line_patterns(opts.extra_lines)
    text = doc.text
    found: list[tuple[int, int, int, str, bool]] = []
    bylines: dict[int, str] = {}  # line -> a byline naming someone
    infos = _block_line_info(doc, opts)
    for line, index, start, end, kind, m in _candidate_lines(doc, infos, opts.max_line_length):
        if kind == "heading" and " " not in m.group().strip():
            continue  # "## Advertising" may head a section about advertising
        category = names[m.lastgroup] if m.lastgroup else "page furniture"
        if category != "navigation" and m.re is not cased and _heads_table(doc, index):
            continue  # "Share" over a column of vote shares heads the article's table
        if m.re is cased and category == _BYLINE:
            bylines[line] = m.group()
        line_span = doc.line_span(line)
        whole_line = not text[line_span.start : start].strip(" \t>-*+#") and not text[end : line_span.end].strip()
        found.append((line, start, end, category, whole_line))
    if len(set(bylines.values())) > 1:
        # A page has one byline. Bylines naming several people are the
        # credits of the entries of a roundup or a list of works, part of it.
        found = [f for f in found if f[0] not in bylines]
    # Boilerplate comes in runs ("Share / Tweet / Email", a comment form):
    # one fix deletes a whole run, blank lines between included, so that one
    # blank line is left where it stood. Every finding of the run carries it.
    runs: list[list[tuple[int, int, int, str, bool]]] = []
    for item in found:
        prev = runs[-1][-1] if runs else None
        if (prev is not None and prev[4] and item[4]
                and all(not doc.line_text(n).strip() for n in range(prev[0] + 1, item[0]))):
            runs[-1].append(item)
        else:
            runs.append([item])
    for run in runs:
        first, last = run[0], run[-1]
        if first[4]:
            edit = delete_lines(doc, first[0], last[0])
        else:
            edit = Edit.delete(first[1], first[2])
        title = "Delete the line" if len(run) == 1 else f"Delete the {len(run)} lines"
        for _line, start, end, category, _ in run:
            original = text[start:end]
            shown = original if len(original) <= 60 else original[:59] + "…"
            yield Violation(Span(start, end), f"Boilerplate ({category}): '{shown}'", Fix.safe(title, edit))


def _line_end_fragments(doc: Document, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], int]]:
    """The matches of ``pattern`` (_fragment_pattern for the whole text) that
    end a paragraph of plain text, each with where its fragment ends (less
    the white space it took): what a search of each paragraph's last line
    finds."""
    text = doc.text
    ends: set[int] | None = None
    for m in pattern.finditer(doc.prose):
        end = m.end("frag")
        while end > m.start("frag") and text[end - 1].isspace():
            end -= 1
        if m.start() < end - 300:
            continue  # the search of a paragraph reads its last 300 characters
        if ends is None:
            ends = {p.span.end for p in doc.paragraphs}
        if end in ends:
            yield m, end


@cache
def _fragment_pattern(extra: tuple[str, ...], whole_text: bool = False) -> re.Pattern[str]:
    """A fragment after the end of a sentence (or a closing quote), to the
    end of the line: the end of the string searched (a paragraph's), or, for
    a search of the whole text, any line's end after white space."""
    fragments = list(load_data("bp")["fragments"]) + list(extra)
    body = "|".join(f"(?:{f})" for f in sorted(fragments, key=len, reverse=True))
    # The mark is matched, not looked behind for: a pattern that starts with
    # a character to look for is searched for fast.
    return re_compile(
        r"[.!?\"”’)\]](?P<gap>[ \t]+)(?P<frag>(?:" + body + r")[ \t]*[.:!…»›>→]*)"
        + (r"[^\S\n]*$" if whole_text else r"[ \t]*$"),
        re.I | re.M,
    )


@rule(
    code="BP002",
    name="boilerplate-fragment",
    summary="Link text such as 'Read more' stuck to the end of a paragraph",
    severity="error",
    fixable="always",
    options=BoilerplateOptions,
)
def boilerplate_fragment(doc: Document, opts: BoilerplateOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds link text from the page — "Read more", "Click here to
    subscribe", "Continue reading" — glued to the end of a real paragraph,
    after its last sentence. Add fragments with
    `[tool.artlint.bp] extra-fragments = [...]`.

    ## Why is this bad?
    The link is gone but its words stayed, dangling after the paragraph's
    last sentence.

    ## Example
    ```text
    The ministry confirmed the figures in a statement. Read more
    ```

    ## Use instead
    ```text
    The ministry confirmed the figures in a statement.
    ```

    ## Fix safety
    Safe: only the fragment (and the space before it) is removed.
    """
    opts = opts or BoilerplateOptions()
    pattern = _fragment_pattern(opts.extra_fragments)
    prose = doc.prose
    # Only the end of a paragraph can hold one. In plain text, where every
    # paragraph ends a line, one search of the whole text finds the
    # fragments that end a line, and those that end a paragraph are kept;
    # in Markdown (a paragraph may end inside a line: a table cell) each
    # paragraph's last line is searched, and of that the last few hundred
    # characters.
    found: Iterable[tuple[re.Match[str], int]]  # (match, where its fragment ends)
    if doc.kind == "markdown":
        searched = (pattern.search(prose, max(p.span.start, p.span.end - 300, prose.rfind("\n", 0, p.span.end)),
                                   p.span.end) for p in doc.paragraphs)
        found = ((m, m.end("frag")) for m in searched if m is not None)
    else:
        found = _line_end_fragments(doc, _fragment_pattern(opts.extra_fragments, whole_text=True))
    for m, end in found:
        start = m.start("frag")
        if not doc.is_prose(m.start("gap"), end):
            continue
        # The fragment must end its paragraph ("Read more\nabout the route"
        # is a sentence), after at least three words of it.
        following = prose[end:].split("\n", 2)  # rest of this line, next line, ...
        if len(following) > 1 and following[1].strip():
            continue
        frag = prose[start:end].strip()
        if frag.endswith(".") and len(frag.split()) <= 2:
            continue  # "Read more." can be the writer's own last sentence
        para_start = prose.rfind("\n\n", 0, start) + 1
        if len(prose[para_start : m.start("gap")].split()) < 3:
            continue  # "Read more" alone: BP001's business
        yield Violation(
            Span(start, end),
            f"Boilerplate link text at the end of a paragraph: '{frag}'",
            Fix.safe("Remove the fragment", Edit.delete(m.start("gap"), end)),
        )


_WORDS_RE = re_compile(r"[^\W\d_]{3,}")
_NAME_RE = re_compile(r"(?<=\s)[A-Z][a-z]+")
_QUOTE_MARKS = frozenset("\"“”‘'")


@cache
def _common_words() -> frozenset[str]:
    return frozenset(load_data("bp")["common-words"])


@rule(
    code="BP003",
    name="stray-line",
    summary="A short line unrelated to the story around it",
    severity="info",
    fixable="never",
    options=BoilerplateOptions,
)
def stray_line(doc: Document, opts: BoilerplateOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a one-line question or exclamation standing alone among the
    paragraphs of a story that has nothing to do with it: it is short,
    shares no word of substance and no name with the rest of the article,
    and sits between two full paragraphs. It is judged by what surrounds
    it, not by a list of phrases. Articles with more than two such short
    lines (interviews, quizzes, listicles) are left alone.

    ## Why is this bad?
    Spun and machine-assembled articles pick up filler lines ("Keep our
    heads in the game, will we?") that break the story and look careless.

    ## Example
    ```text
    Port Strike Enters Second Week

    Dock workers at the port extended their strike on Monday, saying talks with the operators had stalled over pay and shift patterns for the coming year.

    Keep our heads in the game, will we?

    Shipping firms said containers were piling up at the terminal and that some vessels had been diverted to other ports along the coast this week.
    ```

    ## Use instead
    ```text
    Port Strike Enters Second Week

    Dock workers at the port extended their strike on Monday, saying talks with the operators had stalled over pay and shift patterns for the coming year.

    Shipping firms said containers were piling up at the terminal and that some vessels had been diverted to other ports along the coast this week.
    ```

    ## Fix safety
    No fix: a person should decide whether the line belongs.
    """
    if doc.language != "en":
        return
    paras = [p for p in doc.paragraphs if p.kind == "paragraph"]
    if len(paras) < 3:
        return
    text = doc.text
    # The cheap test first: most articles have no paragraph that ends in a
    # question or an exclamation.
    asking = [i for i, p in enumerate(paras) if text[p.span.end - 1] in "?!"]
    if not asking:
        return
    candidates = []
    for i in asking:
        t = doc.paragraph_text(paras[i])
        words = t.split()
        if "\n" in t or not 3 <= len(words) <= 14 or t.rstrip()[-1:] not in ("?", "!"):
            continue
        if any(c in _QUOTE_MARKS for c in t):
            continue  # quoted speech belongs to someone in the story
        candidates.append(i)
    if not candidates or len(candidates) > 2:
        return
    texts = [doc.paragraph_text(p) for p in paras]
    common = _common_words()
    headline = doc.headline.text if doc.headline else ""
    for i in candidates:
        if i == 0 or i == len(paras) - 1:
            continue
        if len(texts[i - 1].split()) < 20 or len(texts[i + 1].split()) < 20:
            continue
        found = _WORDS_RE.findall(texts[i])
        long_words = [w for w in found if len(w) >= 4]
        if long_words and sum(w[0].isupper() for w in long_words) * 5 >= len(long_words) * 3:
            continue  # Title Case: a subheading ("Skip the Tutorial?")
        own = {w.lower() for w in found} - common
        if len(own) < 2:
            continue  # too little to judge ("What is a CRM?")
        names = set(_NAME_RE.findall(" " + texts[i][1:]))
        rest = " ".join([headline] + texts[:i] + texts[i + 1 :])
        rest_words = {w.lower() for w in _WORDS_RE.findall(rest)}
        if own & rest_words or any(n in rest for n in names):
            continue
        yield Violation(paras[i].span, "A short line that shares no word or name with the story around it")


# ------------------------------------------------------------------ BP004
class _Block(NamedTuple):
    first_line: int
    last_line: int
    start: int
    end: int
    kind: str  # "prose", "short" or "other"
    words: int


@cache
def _function_words() -> frozenset[str]:
    return frozenset(load_data("bp")["function-words"])


_REGEX_SYNTAX = frozenset("\\.^$*+?{}[]()|")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (split at "|" outside
    groups and classes)."""
    parts, depth, start, i = [], 0, 0, 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


@cache
def _chrome_labels() -> tuple[frozenset[str], list[str]]:
    """The menu labels of `chrome-lines`: those that are plain words, and
    the patterns that are more than words."""
    words: set[str] = set()
    rest: list[str] = []
    for patterns in load_data("bp")["chrome-lines"].values():
        for pattern in patterns:
            for alternative in _alternatives(pattern):
                if _REGEX_SYNTAX.isdisjoint(alternative):
                    words.add(alternative)
                else:
                    rest.append(alternative)
    return frozenset(words), rest


@cache
def _chrome_rest_pattern() -> re.Pattern[str]:
    return re_compile("|".join(f"(?:{p})" for p in _chrome_labels()[1]) or "(?!)")


def _is_chrome(line: str) -> bool:
    """Whether a normalised line is a menu label of `chrome-lines`: a plain
    word is looked up in a set, and only the patterns that are more than
    words are matched (an alternation of two hundred words is tried word
    by word)."""
    return line in _chrome_labels()[0] or _chrome_rest_pattern().fullmatch(line) is not None


@cache
def _chrome_width() -> int:
    """The longest line a menu label of `chrome-lines` can be."""
    return max(_max_width(p) for patterns in load_data("bp")["chrome-lines"].values() for p in patterns)


def _blocks(doc: Document) -> list[_Block]:
    """Each line that stands alone, with the lines that carry on its
    sentence, as one block, classed as prose (a sentence or more, a fifth
    of it function words, and not a headline in Title Case), short (a menu
    item or a link: a few words and no sentence end) or other. Words are
    counted by spaces: this runs on every line of every article, and a menu
    item tells itself apart from a sentence either way."""
    cached = doc.cache.get("bp-chrome-blocks")
    if cached is not None:
        return cached
    text = doc.text
    function_words = _function_words()
    blocks = doc.cache["bp-chrome-blocks"] = []
    for first, last, start, _, end in _line_blocks(doc):
        # The first 300 characters tell prose from a menu item; the weight
        # of a prose block stops growing at 30 words anyway.
        words = text[start : min(end, start + 300)].lower().split()
        n = len(words)
        ratio = sum(map(function_words.__contains__, words)) / n if n >= 10 else 0.0
        ends = _ends_sentence(text, start, end)
        if ((n >= 15 and ratio >= 0.2) or (n >= 10 and ends and ratio >= 0.25)) and not (
                first == last and _title_case(text[start:end])):
            kind = "prose"
        elif n <= 3 or (n <= 8 and not ends):
            kind = "short"
        else:
            kind = "other"
        blocks.append(_Block(first, last, start, end, kind, n))
    return blocks


# A comment's header: who wrote it and when (see _comment_headers).
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE_RE = re_compile(
    r"(?i)(?<!\w)(?:" + _MONTH + r" \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}(?:st|nd|rd|th)? " + _MONTH
    + r",? \d{4}|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})(?!\w)")
_CLOCK_RE = re_compile(r"(?i)(?<!\d)\d{1,2}:\d{2}(?:\s*[ap]\.?m\b\.?)?")
_AGO_RE = re_compile(r"(?i)(?<!\w)\d{1,3} (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago\b")
#: A comment's writer as a blog prints them: "thelastchargersfan says:".
_SAYS_RE = re_compile(r"\S.{0,60} (?:says|said|wrote|writes|replied|replies)\s*:?")
_NAME_LINE_RE = re_compile(r"@?[\w.'’-]+(?: [\w.'’-]+){0,3}")


_DIGIT_RE = re_compile(r"\d")


_LONG_WORD_RE = re_compile(r"(?<!\S)[^\W\d_]\S{3,}")


def _title_case(line: str) -> bool:
    """Whether most words of four letters or more start with a capital: a
    headline ("The Twists and Turns of Making a Neon Sign"), not a comment
    or a sentence. A line of more than 200 characters is no headline."""
    if len(line) > 200:
        return False
    words = _LONG_WORD_RE.findall(line)
    if len(words) < 2:
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    return capitals * 4 >= len(words) * 3


#: The words a date and a time come with alone ("at 4:15 pm", "GMT").
_STAMP_WORDS = frozenset({"", "at", "am", "pm", "a.m.", "p.m.", "a.m", "p.m", "on", "gmt", "bst", "utc", "est",
                          "edt", "cst", "cdt", "pst", "pdt", "cet", "cest", "et", "pt"})


def _comment_headers(doc: Document) -> list[int]:
    """Indexes (into _line_blocks) of the lines that head a reader comment:
    a short line with a date, a time and a word more ("Jo Lee 3/12/2021 at
    1:48am"), a time ago ("Jo Lee · 3 days ago"), or a date, with or
    without its time, alone under a short line that names someone ("Jo
    Lee", "thelastchargersfan says:"): alone under prose, it is a step of
    a timeline ("June 6, 1944 at 6:30 am"). Read from the lines BP001
    splits anyway; only those with a digit are looked at."""
    text = doc.text
    lines = _line_blocks(doc)
    headers: list[int] = []
    for i, (first, last, start, _, end) in enumerate(lines):
        if first != last or end - start > 150 or _DIGIT_RE.search(text, start, end) is None:
            continue
        line = text[start:end]
        if len(line.split()) > 12:
            continue
        date = _DATE_RE.search(line)
        if date is None:
            ago = _AGO_RE.search(line)
            if ago is not None and len((line[: ago.start()] + line[ago.end() :]).split()) <= 6:
                headers.append(i)
            continue
        rest = line[: date.start()] + " " + line[date.end() :]
        clock = _CLOCK_RE.search(rest)
        if clock is not None:
            rest = rest[: clock.start()] + " " + rest[clock.end() :]
            words = rest.split()
            if len(words) > 6:
                continue
            if any(w.strip(",|-–—·•:").lower() not in _STAMP_WORDS for w in words):
                headers.append(i)  # a name, a "Reply" or "says:" with the date
                continue
            # a date and a time alone: a comment's under its writer's name,
            # a timeline's step ("June 6, 1944 at 6:30 am") under prose
            rest = ""
        if 0 < i < len(lines) - 1 and not rest.strip(" ,|-–—·•:"):
            # A date alone: under a name, over the comment's text (a story
            # teaser has its section or headline there: "Environment").
            p_first, p_last, p_start, _, p_end = lines[i - 1]
            prev = text[p_start:p_end]
            following = text[lines[i + 1][2] : lines[i + 1][4]]
            # "thelastchargersfan says:" in lower case may be read as the
            # end of the sentence above it: the line itself is looked at
            says = _SAYS_RE.fullmatch(doc.line_text(first - 1).strip())
            if ((says or p_first == p_last and len(prev.split()) <= 4 and _NAME_LINE_RE.fullmatch(prev)
                    and (prev[:1].isupper() or prev[:1] == "@"))
                    and (len(following.split()) >= 5 or following.rstrip()[-1:] in ".!?")
                    and not _title_case(following)):
                headers.append(i)
    return headers


def _comment_thread(doc: Document, opts: BoilerplateOptions) -> tuple[int, int] | None:
    """(first, last) block of a thread of dated posts (reader comments, a
    feed) pasted after the article: at least three comment headers (_comment_headers), each
    followed by the comment's text, none more than twenty lines from the
    next, and prose before the first (the article they are about).
    Comments are prose: without this, the body of the article would be
    taken to run on through them."""
    headers = _comment_headers(doc)
    if len(headers) < 3:
        return None  # most articles
    lines = _line_blocks(doc)
    best: list[int] = []
    run: list[int] = []
    for h in headers + [-1]:
        if h != -1 and run and lines[h][0] - lines[run[-1]][1] <= 20 and h - run[-1] >= 2:
            run.append(h)  # close to the one before, with a comment's text between
            continue
        if len(run) >= 3 and len(run) > len(best):
            best = run
        run = [h]
    if not best:
        return None
    all_blocks = _blocks(doc)  # classed only when there are headers
    first, last = best[0], best[-1]
    # The name line above the first header belongs to its comment.
    if first > 0 and all_blocks[first - 1].words <= 4 and all_blocks[first - 1].kind != "prose":
        first -= 1
    if not any(b.kind == "prose" for b in all_blocks[:first]):
        return None  # no article before it: not comments on one
    # The last comment's text: up to ten blocks, to the first short line
    # (a "Reply" link, the page's footer).
    end = last
    while end + 1 < len(all_blocks) and end - last < 10 and all_blocks[end + 1].kind != "short":
        end += 1
    # ... and the links under it ("Reply", "Report"), page furniture BP001 knows.
    while end + 1 < len(all_blocks) and end - last < 12:
        b = all_blocks[end + 1]
        if b.first_line != b.last_line or not is_boilerplate_line(doc, b.start, b.end, opts):
            break
        end += 1
    return first, end


#: _article_list: the most lines between two known lines of a run that are
#: taken as page chrome whatever they are.
_CHROME_GAP = 20


def _article_list(text: str, between: list[_Block]) -> bool:
    """Whether ``between``, the lines between two known lines of a run, is
    a list of the article's: more than _CHROME_GAP lines, at least half of
    them written in sentence case with a word of substance in lower case
    ("Great for beginners", "Personal plan: €6/month (billed annually)").
    A site's menus, however long, are names and Title Case labels
    ("Cash Flow Management", "Careers", "Terms of Use")."""
    if len(between) <= _CHROME_GAP:
        return False
    function_words = _function_words()
    described = sum(_described(text[b.start : b.end].split(), function_words) for b in between)
    return described * 2 >= len(between)


def _described(words: list[str], function_words: frozenset[str]) -> bool:
    """Whether a line's words after the first include one of substance in
    lower case: "Great for beginners", not "Terms of Use"."""
    return any(w[:1].islower() and w.lower() not in function_words for w in words[1:])


#: BP004: the kinds of BP001 line that do not make a run page chrome: the
#: buttons by each product of a buying guide ("See price at Amazon") stand
#: among the article's own short lines (the product's name, its strengths).
_NOT_ANCHORS = frozenset({"shop buttons"})

#: BP004: a cell of a table on a line of its own: a number ("31,208",
#: "44.1%", "(3)") or a code of up to three capitals and a digit ("W", "GB",
#: "Q1", "PTS").
_CELL_RE = re_compile(r"[-+−]?\(?\d[\d,.]*\)?\s?%?|[A-Z]{1,3}\d?")
#: BP004: how many lines under a known line are looked at for the cells of
#: a table it heads.
_TABLE_REACH = 4


def _heads_table(doc: Document, i: int) -> bool:
    """Whether line block ``i`` (an index of _line_blocks) is one or two
    words over the cells of a table: two of them one under the other within
    _TABLE_REACH lines under it ("Team" over a box score, "Share" over a
    column of vote shares). Cells above a word are not its column ("133 / 8
    / Share": the counts of a post's likes and comments, "EN / FR / DE" over
    a menu)."""
    blocks = _line_blocks(doc)
    text = doc.text
    start, line_end = blocks[i][2], blocks[i][3]
    if text.count(" ", start, line_end) > 1:
        return False
    cells = doc.cache.setdefault("bp-cells", {})
    previous = False
    for j in range(i + 1, min(len(blocks), i + _TABLE_REACH + 1)):
        is_cell = cells.get(j)
        if is_cell is None:
            is_cell = cells[j] = _CELL_RE.fullmatch(text, blocks[j][2], blocks[j][3]) is not None
        if is_cell and previous:
            return True
        previous = is_cell
    return False


def _table_words(doc: Document, known_at: set[int], infos: dict[int, tuple[re.Match[str] | None, str]],
                 names: dict[str, str]) -> set[int]:
    """The known lines of ``known_at`` (indexes of _line_blocks) that are the
    labels of a table the article holds (_heads_table); a word of the site's
    navigation ("Previous" over the numbers of the pages) is the page's."""
    blocks = _line_blocks(doc)
    found = set()
    for i in known_at:
        m = infos[blocks[i][2]][0]
        if (m is None or names.get(m.lastgroup) != "navigation") and _heads_table(doc, i):
            found.add(i)
    return found


#: BP004: how many lines above the body may be its headline, byline and date.
_HEAD_LINES = 4


#: A line that ends with the year of a work ("Halden & Rusk, 2022",
#: "Annual report (2023)"), not a date ("March 3, 2024"): an entry of a
#: reading list or a credit, not a menu item.
_CITED_RE = re_compile(r"(?:(?<![\d\s]),|\() ?(?:1[5-9]|20)\d\d\)?$")


def _menu_item(text: str, b: _Block) -> bool:
    """Whether a block of a run is a menu item: one short line (a few words
    and no sentence end) starting with a capital, that does not end with
    the year of a work."""
    return (b.kind == "short" and b.first_line == b.last_line and text[b.start].isupper()
            and _CITED_RE.search(text, b.start, b.end) is None)


#: BP004: how many lines at the end of a run before the body are looked
#: through for the article's headline.
_HEAD_WINDOW = 12


# A byline without "By": a name and the writer's role ("Ana Ruiz, Markets
# Reporter", "Jo Lee — Staff Writer"); "Ferry Timetable Approved, Fares
# Frozen" is a headline.
_NAME_AND_ROLE_RE = re_compile(
    r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}(?:,| [–—]) (?i:.{0,40}\b(?:reporter|editor|correspondent|writer"
    r"|contributor|columnist|critic|producer|journalist|staff|author|analyst|director|manager|officer|fellow"
    r"|professor|host|chief|head|lead|specialist|strategist|scientist|researcher|expert|designer|developer"
    r"|engineer|founder|ceo|photographer|presenter|anchor|intern)s?\b.{0,40})")


def _dated(line: str) -> bool:
    """Whether a line holds a date, a time of day or a time ago."""
    return bool(_DIGIT_RE.search(line) and (_DATE_RE.search(line) or _CLOCK_RE.search(line) or _AGO_RE.search(line)))


#: BP004: how many lines (a name, a kicker) may stand between a headline
#: and the byline, date or share buttons under it.
_HEAD_GAP = 3
#: BP004: how far above the body a table of contents may start.
_TOC_WINDOW = 40
_CONTENTS_RE = re_compile(r"(?:table of )?contents|in this (?:article|post|guide|story|page)|on this page|jump to")

#: BP004: the role in _headline of a known line by its BP001 category:
#: the lines a page puts under a headline, and those it puts anywhere
#: ("Advertisement", "Continue reading the main story"); the rest (sign-in
#: and subscribe buttons, legal links, breadcrumbs, the menu labels of
#: `chrome-lines`) are above the headline.
_HEAD_ROLES = {_BYLINE: "sign", "sharing and following": "sign", "comment form": "sign",
               "photo credit": "credit", "advertising": "pass", "related content": "pass",
               "affiliate disclosure": "pass", "forms and widgets": "pass", "navigation": "pass"}


@cache
def _social_names() -> frozenset[str]:
    """The social networks of `chrome-lines` ("Facebook", "X"), share
    buttons when they stand alone."""
    return frozenset(a for p in load_data("bp")["chrome-lines"]["social networks"] for a in _alternatives(p))


def _headline(text: str, run: list[_Block], roles: dict[int, str]) -> tuple[int, int] | None:
    """Indexes in ``run``, a run of page chrome before the body, of the
    article's headline and standfirst, when the run ends on the lines a page
    puts between them and the body: the byline, the date, a reading time,
    share buttons ("By Ana Ruiz", "June 3, 2025", "5 min read", "Share").

    ``roles`` gives each known line of the run a role: "sign" (a byline, a
    share button, a comment count), "credit" (a photo credit, a sign too),
    "pass" (an advertisement, a related link, "Search", "Continue reading":
    they sit under headlines as well) or "stop" (sign-in and subscribe
    buttons, legal links, breadcrumbs, menu labels: the headline is below
    them).

    Walking up from the end of the run, over at most _HEAD_WINDOW lines:
    signs, dated lines of up to twenty words (a byline with its date) and a
    name with a role ("Ana Ruiz, Markets Reporter") are passed over; so are
    "pass" lines, short lines of three words or fewer or in lower case, and
    a photo's caption over its credit, but no more than _HEAD_GAP of them
    above the last sign (more are a menu). The first other line is the headline if a sign has been passed
    and it is one line of four words or more starting with a capital or a
    digit; with the line above it as the headline when that is one line of
    two words or more starting with a capital and this one has eight words
    or more or ends a sentence (a standfirst). Anything else, a "stop" line
    included, gives None: the run holds no headline. A table of contents
    ("In this article" over the sections' titles) within _TOC_WINDOW lines
    of the end counts as a sign and is passed over whole, when the walk
    from the end finds nothing."""
    found = _walk_to_headline(text, run, roles, len(run) - 1, False)
    if found is None:
        for j in range(len(run) - 1, max(-1, len(run) - 1 - _TOC_WINDOW), -1):
            if roles.get(j) and _CONTENTS_RE.fullmatch(normalise_line(text[run[j].start : run[j].end])):
                return _walk_to_headline(text, run, roles, j - 1, True)
    return found


def _head_candidate(text: str, b: _Block, min_words: int) -> bool:
    """Whether a block may be a headline (or the line over a standfirst):
    one line of ``min_words`` or more, starting with a capital or a digit,
    with no date and not a name and a role."""
    if b.words < min_words or b.first_line != b.last_line:
        return False
    line = text[b.start : b.end]
    return (line[0].isupper() or line[0].isdigit()) and not _dated(line) and not _NAME_AND_ROLE_RE.fullmatch(line)


def _walk_to_headline(text: str, run: list[_Block], roles: dict[int, str], i: int,
                      seen: bool) -> tuple[int, int] | None:
    """The walk of _headline, from index ``i`` of ``run`` up; ``seen``: a
    sign has been passed already."""
    top = max(0, i + 1 - _HEAD_WINDOW)
    since = 0  # lines passed over since the last sign
    while i >= top:
        b = run[i]
        role = roles.get(i)
        line = text[b.start : b.end]
        if role == "stop":
            return None
        if role in ("sign", "credit") or (role is None and (
                (b.kind == "short" and _NAME_AND_ROLE_RE.fullmatch(line)) or (b.words <= 20 and _dated(line)))):
            seen, since = True, 0
            i -= 1
            continue
        if role is not None or (b.kind == "short" and (b.words <= 3 or line[0].islower())) or (
                roles.get(i + 1) == "credit"):
            # a related link, a name, a label, or a photo's caption over its
            # credit; more than _HEAD_GAP of them above the signs: a menu
            since += 1
            if seen and since > _HEAD_GAP:
                return None
            i -= 1
            continue
        if not seen or not _head_candidate(text, b, 4):
            return None
        if i and roles.get(i - 1) is None and _head_candidate(text, run[i - 1], 2) and (
                b.words >= 8 or _ends_sentence(text, b.start, b.end)):
            return i - 1, i
        return i, i
    return None


def _body(blocks: list[_Block], known: set[int]) -> tuple[int, int]:
    """Indexes of the first and last block of the article body: the run of
    blocks with the most prose in it and the fewest short lines (the
    maximum-sum segment, prose weighing by its length). A block in
    ``known`` (page furniture BP001 knows, a sentence or not) weighs as a
    short line."""
    best, best_start, best_end = float("-inf"), 0, -1
    total, start = 0.0, 0
    for i, b in enumerate(blocks):
        if i in known:
            w = -1.0
        else:
            w = min(b.words / 5, 6.0) if b.kind == "prose" else -1.0 if b.kind == "short" else -0.2
        if total <= 0:
            total, start = w, i
        else:
            total += w
        if total > best:
            best, best_start, best_end = total, start, i
    return best_start, best_end


@rule(
    code="BP004",
    name="page-chrome",
    summary="A run of menu, link and footer lines outside the article body",
    severity="warning",
    fixable="sometimes",
    options=BoilerplateOptions,
)
def page_chrome(doc: Document, opts: BoilerplateOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds the page a whole article was copied with: runs of short lines
    before or after the body of the article — site menus, section lists,
    link lists, footers — that no phrase list could name line by line. The
    body is the stretch of the text with the most prose in it; a run
    outside it is reported when it has at least `chrome-min-lines` lines
    (default 8), most of them short (a few words, no sentence end), and at
    least `chrome-min-anchors` of them (default 3), and one line in sixty
    (or more than `chrome-min-anchors` when no prose lies beyond the run),
    are known page furniture: lines BP001 reports on their own ("Subscribe",
    "Privacy Policy", "© 2024 …"; not the buttons by the products of a
    buying guide, "Check price at …", which stand among the article's own
    short lines) or the labels of a site's menus
    (`chrome-lines` in `bp.yaml`: "Home", "Politics", "Contact", "Facebook").
    A list that belongs to the article has prose on both sides, or no such
    lines, and is left alone; so is a run with much prose beyond it.

    A thread of dated posts pasted after the article (reader comments, an
    embedded social feed, a list of recent posts) is reported too, as one
    finding: at least three headers close together, each a short line with
    a date and a time ("Jo Lee, March 3, 2024 at 4:15 pm"), a time ago
    ("3 days ago") or a date alone between a name and a sentence, each
    followed by the post's text, after the article's prose. A timeline or a
    live blog (dates or times alone over paragraphs) is not a thread. The
    body of the article is then looked for before the thread, whose prose
    would otherwise pass for the article's. The
    finding starts (or ends) at the known line nearest the body, and takes
    in the menu items (short lines that start with a capital) between it
    and the body, but not the lines just above the body that may be its
    headline, byline and date; the article's own lines next to the body
    stay out of it: a list the article leads into ("The new hours are:"),
    or a long list of described items ("Great for beginners") under a lone
    known word like "Pricing", or the entries of a reading list ("Halden &
    Rusk, 2022"). A word of a site's menus over the cells of a table
    ("Team" over a box score, "Share" over a column of vote shares) is the
    table's. A sentence BP001 knows (a site's terms, an affiliate
    disclosure) does not end a run, and a headline in Title Case is not
    prose. One finding covers the whole run, but for the article's headline:
    when a run before the body ends on the byline, the date and the share
    buttons under a headline ("By Ana Ruiz", "March 3, 2024", "Share"), the
    headline (and a standfirst under it) stays, and the run is reported in
    two findings, above it and below it, each when it holds known furniture.
    A headline is looked for below the site's menus only; one of three
    words or fewer is not told from a menu item, and such a run is
    reported whole.

    ## Why is this bad?
    Text saved from a browser or a scraper brings the page with it: the
    reader of the article meets the site's navigation before the first
    paragraph and its footer after the last.

    ## Example
    ```text
    Home
    News
    Sport
    Weather
    Subscribe
    Sign in
    Search
    Menu

    The harbour board approved the new ferry timetable on Tuesday after a public consultation that drew more than four hundred responses from residents and local businesses.

    Services will run every twenty minutes at peak times from next month, and the board said it would review the timetable again after the summer season.
    ```

    ## Use instead
    ```text
    The harbour board approved the new ferry timetable on Tuesday after a public consultation that drew more than four hundred responses from residents and local businesses.

    Services will run every twenty minutes at peak times from next month, and the board said it would review the timetable again after the summer season.
    ```

    ## Fix safety
    Unsafe: the fix deletes every line of the run, and a short list that
    belongs to the story can sit among them. Review the diff.
    """
    opts = opts or BoilerplateOptions()
    if doc.language != "en":
        return
    chrome_width = _chrome_width()
    text = doc.text
    thread = _comment_thread(doc, opts)
    if thread is not None:
        blocks = _blocks(doc)
        t0, t1 = thread
        lines = blocks[t1].last_line - blocks[t0].first_line + 1
        edit = delete_lines(doc, blocks[t0].first_line, blocks[t1].last_line)
        fix = None if doc.touches_mask(edit.span) else Fix.unsafe(f"Delete the {lines} lines", edit)
        yield Violation(Span(blocks[t0].start, blocks[t1].end),
                        f"Dated posts after the article (reader comments, a feed, recent posts): {lines} lines", fix)
    # The cheap test first: a run needs known lines, and most articles have
    # none or one.
    infos = _block_line_info(doc, opts)
    names = _line_patterns(opts.extra_lines)[2]
    known_at = {
        i for i, (first_line, last_line, start, _, end) in enumerate(_line_blocks(doc))
        if first_line == last_line and end - start <= opts.max_line_length and (
            ((m := (info := infos[start])[0]) and names.get(m.lastgroup) not in _NOT_ANCHORS)
            or (len(info[1]) <= chrome_width and _is_chrome(info[1])))
    }
    if len(known_at) < opts.chrome_min_anchors:
        return
    known_at -= _table_words(doc, known_at, infos, names)
    if len(known_at) < opts.chrome_min_anchors:
        return
    blocks = _blocks(doc)  # one for each of _line_blocks
    scope = len(blocks) if thread is None else thread[0]
    if not any(b.kind == "prose" for b in blocks[:scope]):
        return  # no article body to measure against
    first, last = _body(blocks[:scope], known_at)
    body_words = sum(b.words for b in blocks[first : last + 1] if b.kind == "prose")
    runs: list[tuple[list[_Block], bool]] = []  # (run, before the body)
    position = {id(b): i for i, b in enumerate(blocks)}
    after = [(last + 1, scope)] if thread is None else [(last + 1, thread[0]), (thread[1] + 1, len(blocks))]
    for lo, hi in [(0, first)] + after:
        # Runs are split by prose, but not by a sentence BP001 knows ("Use
        # of this site constitutes acceptance of our User Agreement").
        run: list[_Block] = []
        for i in range(lo, hi + 1):
            if i == hi or (blocks[i].kind == "prose" and i not in known_at):
                if run:
                    runs.append((run, lo == 0))
                run = []
            else:
                run.append(blocks[i])
    # A run with much prose beyond it (between it and the edge of the text)
    # is not at the edge of the article but inside it: a list between two
    # parts of the story. Prose out there may be a cookie notice or an
    # author's note, but not a quarter of the story's length.

    def prose_beyond(run: list[_Block], before: bool) -> int:
        outside = blocks[: position[id(run[0])]] if before else blocks[position[id(run[-1])] + 1 :]
        if thread is not None:  # the comments' prose is not the article's
            outside = [b for b in outside if not thread[0] <= position[id(b)] <= thread[1]]
        return sum(b.words for b in outside if b.kind == "prose")

    runs = [(run, before) for run, before in runs if prose_beyond(run, before) * 4 <= body_words]
    for run, before in runs:
        if len(run) < opts.chrome_min_lines or sum(b.kind == "short" for b in run) * 2 < len(run):
            continue
        known = [i for i, b in enumerate(run) if position[id(b)] in known_at]
        if len(known) < opts.chrome_min_anchors:
            continue
        # A long list with a stray "Watch" in it is the article's, unless
        # nothing but the page lies beyond it and more than a stray few of
        # its lines are known furniture (a footer of a hundred links).
        if len(known) * 60 < len(run) and (len(known) <= opts.chrome_min_anchors or prose_beyond(run, before)):
            continue
        # A known line alone next to the body, with a long list of the
        # article's own items before the next one ("Pricing" heading a
        # table of plans), is the article's: the run is taken from the
        # known lines that stand together.
        listed = len(known)
        if before:
            while len(known) > opts.chrome_min_anchors and _article_list(text, run[known[-2] + 1 : known[-1]]):
                known.pop()
        else:
            while len(known) > opts.chrome_min_anchors and _article_list(text, run[known[0] + 1 : known[1]]):
                known.pop(0)
        listed -= len(known)  # known lines left to the article's list
        # The side towards the body may hold the article's own short lines
        # (a list, a caption, "Photo: …"): the run is reported from the
        # known line nearest the body, and on towards the body over the
        # menu items next to it (short lines that start with a capital:
        # "Weight Management", "Clinical Trials"), but for the last ones
        # before the body, which may be the article's headline, byline or
        # date, and not when the article's own list was found next to the
        # run.
        if before:
            k = known[-1]
            while not listed and k + 1 < len(run) and _menu_item(text, run[k + 1]):
                k += 1
            if k > known[-1]:
                # The last lines above the body may be its headline, its
                # byline and its date: from the first of them with three
                # words or more, they stay.
                heads = [i for i in range(max(known[-1] + 1, len(run) - _HEAD_LINES), k + 1) if run[i].words >= 3]
                if heads:
                    k = heads[0]
            run = run[: k + 1 if k == known[-1] else k]
        else:
            k = known[0]
            while not listed and k > 0 and _menu_item(text, run[k - 1]):
                k -= 1
            # Not over a list the article leads into ("The new hours are:").
            lead = run[k - 1] if k else blocks[position[id(run[0])] - 1]
            if any(text[b.end - 1] == ":" for b in [lead] + run[k : known[0]]):
                k = known[0]
            run, known = run[k:], [i - k for i in known]
        # The article's headline and standfirst stay, when the run ends on
        # the byline, date and share buttons under them: the run is
        # reported in two parts, above and below them.
        head = None
        if before:
            social = _social_names()
            roles = {}
            for k in known:
                m, normalised = infos.get(run[k].start) or (None, "")
                if m and m.lastgroup:
                    roles[k] = _HEAD_ROLES.get(names[m.lastgroup], "stop")
                else:
                    roles[k] = "sign" if normalised in social else "stop"
            head = _headline(text, run, roles)
        if head is None:
            parts = [(run, known, "Page chrome outside the article body")]
        else:
            h0, h1 = head
            parts = [(run[:h0], [k for k in known if k < h0], "Page chrome outside the article body"),
                     (run[h1 + 1 :], [k - h1 - 1 for k in known if k > h1],
                      "Page chrome between the headline and the body")]
        for n, (part, part_known, what) in enumerate(parts):
            # The part below the headline without a known line is its byline
            # and date alone; the part above, a line or two the walk left
            # over (a kicker): not shown to be the page's.
            if not part_known and (n or len(part) < 3):
                continue
            anchors = [text[part[k].start : part[k].end] for k in part_known] or [
                text[b.start : b.end] for b in part[:3]]
            lines = part[-1].last_line - part[0].first_line + 1
            shown = ", ".join(f"'{a if len(a) <= 30 else a[:29] + '…'}'" for a in anchors[:3])
            edit = delete_lines(doc, part[0].first_line, part[-1].last_line)
            fix = None if doc.touches_mask(edit.span) else Fix.unsafe(f"Delete the {lines} lines", edit)
            yield Violation(
                Span(part[0].start, part[-1].end),
                f"{what}: {len(part)} short line{'' if len(part) == 1 else 's'} such as {shown}",
                fix,
            )
