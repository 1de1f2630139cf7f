"""Core value types: spans, edits, fixes and diagnostics.

Offsets are ``str`` indices into a Document's (LF-normalised) text, half-open.
Line and column are computed from the Document's line index only when a
diagnostic is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Applicability(str, Enum):
    """How sure a fix is: ``safe`` keeps the meaning and is applied by ``--fix``;
    ``unsafe`` is a guess applied only with ``--unsafe-fixes``; ``display-only``
    is shown and never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"

    @property
    def rank(self) -> int:
        return _APPLICABILITY_RANK[self]


_APPLICABILITY_RANK = {
    Applicability.SAFE: 2,
    Applicability.UNSAFE: 1,
    Applicability.DISPLAY_ONLY: 0,
}


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span ({self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share a character, or both are inserts
        (empty spans) at the same offset, or an insert sits strictly inside
        the other span."""
        if self.start == self.end or other.start == other.end:
            if self.start == self.end and other.start == other.end:
                return self.start == other.start
            empty, full = (self, other) if self.start == self.end else (other, self)
            return full.start < empty.start < full.end
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``span`` with ``text``: ``""`` deletes, an empty span inserts."""

    span: Span
    text: str

    @classmethod
    def delete(cls, start: int, end: int) -> Edit:
        return cls(Span(start, end), "")

    @classmethod
    def replace(cls, start: int, end: int, text: str) -> Edit:
        return cls(Span(start, end), text)

    @classmethod
    def insert(cls, at: int, text: str) -> Edit:
        return cls(Span(at, at), text)


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str

    def __post_init__(self) -> None:
        if not self.edits:
            raise ValueError("a fix needs at least one edit")
        ordered = sorted(self.edits, key=lambda e: (e.span.start, e.span.end))
        for a, b in zip(ordered, ordered[1:]):
            if a.span.overlaps(b.span) or a.span.end > b.span.start:
                raise ValueError("the edits of one fix overlap")
        object.__setattr__(self, "edits", tuple(ordered))

    @classmethod
    def safe(cls, title: str, *edits: Edit) -> Fix:
        return cls(tuple(edits), Applicability.SAFE, title)

    @classmethod
    def unsafe(cls, title: str, *edits: Edit) -> Fix:
        return cls(tuple(edits), Applicability.UNSAFE, title)

    @classmethod
    def display_only(cls, title: str, *edits: Edit) -> Fix:
        return cls(tuple(edits), Applicability.DISPLAY_ONLY, title)

    @property
    def span(self) -> Span:
        return Span(self.edits[0].span.start, max(e.span.end for e in self.edits))


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields: where, what, and optionally how to fix it. The engine
    turns it into a Diagnostic carrying the rule's code, name and severity."""

    span: Span
    message: str
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    span: Span
    message: str
    severity: Severity
    fix: Fix | None = None
    # Extra rule-specific data for reporters (e.g. the LanguageTool rule id).
    data: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple:
        return (self.span.start, self.span.end, self.code, self.message)
