"""Apply fixes to a fixed point (design §5)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Callable

from .edits import apply_edits
from .files import Source, raw_offset
from .types import Applicability, Diagnostic, Edit, Fix, Span

MAX_PASSES = 10


def select_fixes(diags: list[Diagnostic], level: Applicability) -> list[Diagnostic]:
    """The diagnostics whose fixes are applied in one pass: at or above
    ``level``, sorted by (start, end, code), duplicates dropped, and any fix
    overlapping one already taken skipped (two inserts at one offset
    conflict too)."""
    candidates = [d for d in diags if d.fix is not None and d.fix.applicability != Applicability.DISPLAY_ONLY
                  and d.fix.applicability.rank >= level.rank]
    candidates.sort(key=lambda d: (d.fix.span.start, d.fix.span.end, d.code))  # type: ignore[union-attr]
    taken: list[Diagnostic] = []
    taken_edits: list[Edit] = []
    seen: set[tuple] = set()
    for d in candidates:
        fix = d.fix
        assert fix is not None
        key = tuple((e.span.start, e.span.end, e.text) for e in fix.edits)
        if key in seen:
            continue
        if any(e.span.overlaps(t.span) for e in fix.edits for t in taken_edits):
            continue
        seen.add(key)
        taken.append(d)
        taken_edits.extend(fix.edits)
    return taken


@dataclass
class FixResult:
    source: Source  # the fixed source (the original when nothing applied)
    diagnostics: list[Diagnostic]  # what remains, on the final text
    text: str  # the final normalised text the diagnostics refer to
    fixed: Counter = field(default_factory=Counter)  # code -> fixes applied
    converged: bool = True
    loop_codes: tuple[str, ...] = ()

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
        if not chosen:
            return FixResult(current, diags, text, fixed)
        edits = []
        for d in chosen:
            assert d.fix is not None
            for e in d.fix.edits:
                body = e.text.replace("\n", newline) if crlf and newline == "\r\n" else e.text
                edits.append(Edit(Span(raw_offset(e.span.start, crlf), raw_offset(e.span.end, crlf)), body))
            fixed[d.code] += 1
            involved[d.code] += 1
        raw = apply_edits(raw, edits)
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


def fix_text(text: str, lint: Callable[[str], list[Diagnostic]], level: Applicability = Applicability.SAFE) -> str:
    """Convenience: the fixed form of an in-memory text."""
    return fix_source(Source(text), lint, level).source.raw


def _digest(text: str) -> bytes:
    import hashlib

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


__all__ = ["FixResult", "Fix", "fix_source", "fix_text", "select_fixes"]
