"""Apply fixes to a fixed point (design §5)."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable

from .edits import apply_edits
from .files import Source, raw_offset
from .types import Applicability, Diagnostic, Edit, Fix, Span

MAX_PASSES = 10


def select_fixes(diags: list[Diagnostic], level: Applicability) -> list[Diagnostic]:
    """The diagnostics whose fixes are applied in one pass: at or above
    ``level``, sorted by start, the one that reaches further first (it holds
    the other: a run of page chrome and a known line at its top), then by
    code; duplicates dropped, and any fix overlapping one already taken
    skipped (two inserts at one offset conflict too)."""
    candidates = [d for d in diags if d.fix is not None and d.fix.applicability != Applicability.DISPLAY_ONLY
                  and d.fix.applicability.rank >= level.rank]
    candidates.sort(key=lambda d: (d.fix.span.start, -d.fix.span.end, d.code))  # type: ignore[union-attr]
    taken: list[Diagnostic] = []
    taken_spans = _SpanSet()
    seen: set[tuple] = set()
    for d in candidates:
        fix = d.fix
        assert fix is not None
        key = tuple((e.span.start, e.span.end, e.text) for e in fix.edits)
        if key in seen:
            continue
        if any(taken_spans.overlaps(e.span) for e in fix.edits):
            continue
        seen.add(key)
        taken.append(d)
        for e in fix.edits:
            taken_spans.add(e.span)
    return taken


class _SpanSet:
    """Spans no two of which overlap (``Span.overlaps``), sorted, so that
    testing a new span costs a binary search, not a look at every one taken
    (thousands of fixes in one long paragraph).

    Sorted by (start, end), such spans end in non-decreasing order: an
    insert never lies strictly inside a span, and spans share no character.
    So the last span starting before ``x`` reaches furthest of all those."""

    def __init__(self) -> None:
        self._keys: list[tuple[int, int]] = []

    def overlaps(self, span: Span) -> bool:
        keys = self._keys
        start, end = span.start, span.end
        if start == end:
            i = bisect_left(keys, (start, -1))
            if i < len(keys) and keys[i] == (start, start):
                return True  # two inserts at one offset
            return i > 0 and keys[i - 1][1] > start  # inside a span
        i = bisect_left(keys, (end, -1))  # the spans starting before ``end``
        return i > 0 and keys[i - 1][1] > start

    def add(self, span: Span) -> None:
        key = (span.start, span.end)
        if not self._keys or self._keys[-1] <= key:
            self._keys.append(key)  # the usual case: fixes come in text order
        else:
            insort(self._keys, key)


class FixResult:
    __slots__ = ("source", "diagnostics", "text", "fixed", "converged", "loop_codes")

    def __init__(self, source: Source, diagnostics: list[Diagnostic], text: str, fixed: Counter | None = None,
                 converged: bool = True, loop_codes: tuple[str, ...] = ()) -> None:
        self.source = source  # the fixed source (the original when nothing applied)
        self.diagnostics = diagnostics  # what remains, on the final text
        self.text = text  # the final normalised text the diagnostics refer to
        self.fixed: Counter = Counter() if fixed is None else fixed  # code -> fixes applied
        self.converged = converged
        self.loop_codes = loop_codes

    @property
    def changed(self) -> bool:
        return sum(self.fixed.values()) > 0


def fix_source(
    source: Source,
    lint: Callable[[str], list[Diagnostic]],
    level: Applicability = Applicability.SAFE,
) -> FixResult:
    """Lint, apply the selected fixes to the on-disk text (CRLF kept), and
    repeat until no fix applies.  A text that repeats, or more than
    MAX_PASSES passes, means no convergence: the original is kept."""
    original = source
    raw = source.raw
    newline = "\r\n" if source.crlf else "\n"
    seen = {_digest(raw)}
    fixed: Counter = Counter()
    involved: Counter = Counter()
    first_diags: list[Diagnostic] | None = None
    first_text = ""
    for _ in range(MAX_PASSES + 1):
        current = Source(raw, source.encoding, source.bom)
        text, crlf = current.normalized()
        diags = lint(text)
        if first_diags is None:
            first_diags, first_text = diags, text
        chosen = select_fixes(diags, level)
        fixed_raw = _apply(raw, crlf, newline, chosen)
        if chosen and not current.reads_back(fixed_raw) and current.reads_back(raw):
            # Saved, the text would read back otherwise (it would start with
            # what reads as a BOM, say): the fixes at its start are left out,
            # and if that is not enough, fixing stops here.
            chosen = [d for d in chosen if d.fix.edits[0].span.start > 0]  # type: ignore[union-attr]
            fixed_raw = _apply(raw, crlf, newline, chosen)
            if not current.reads_back(fixed_raw):
                chosen = []
        if not chosen:
            return FixResult(current, diags, text, fixed)
        for d in chosen:
            fixed[d.code] += 1
            involved[d.code] += 1
        raw = fixed_raw
        digest = _digest(raw)
        if digest in seen:
            break
        seen.add(digest)
    return FixResult(
        original,
        first_diags or [],
        first_text,
        Counter(),
        converged=False,
        loop_codes=tuple(sorted(involved)),
    )


def _apply(raw: str, crlf: list[int], newline: str, chosen: list[Diagnostic]) -> str:
    """``raw`` with the edits of the chosen fixes (normalised offsets) made."""
    if not chosen:
        return raw
    edits = []
    for d in chosen:
        assert d.fix is not None
        for e in d.fix.edits:
            body = e.text.replace("\n", newline) if crlf and newline == "\r\n" else e.text
            edits.append(Edit(Span(raw_offset(e.span.start, crlf), raw_offset(e.span.end, crlf)), body))
    return apply_edits(raw, edits)


def fix_text(text: str, lint: Callable[[str], list[Diagnostic]], level: Applicability = Applicability.SAFE) -> str:
    """Convenience: the fixed form of an in-memory text."""
    return fix_source(Source(text), lint, level).source.raw


def _digest(text: str) -> bytes:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


__all__ = ["FixResult", "Fix", "fix_source", "fix_text", "select_fixes"]
