"""Core value types: spans, edits, fixes and diagnostics.

Offsets are ``str`` indices into a Document's (LF-normalised) text, half-open.
Line and column are computed from the Document's line index only when a
diagnostic is reported.

The value types are immutable and compare by value, as frozen dataclasses
would; they are written out (``Record``) because the dataclasses module and
what it imports cost a pre-commit run more than linting its article.
"""

from __future__ import annotations

from enum import Enum
from functools import total_ordering


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


class Record:
    """An immutable value with ``__slots__``: equal, hashed, ordered by
    nothing but its fields (``_fields``, the constructor's order), set
    once in ``__init__`` through ``object.__setattr__``."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self._fields)})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of {type(self).__name__}")

    def __reduce__(self) -> tuple:  # pickled by value (workers send results back)
        return (self.__class__, self._values())

    def copy(self, **changes: object):
        """A copy with some fields changed."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return self.__class__(**values)


_set = object.__setattr__


@total_ordering
class Span(Record):
    __slots__ = ("start", "end")
    _fields = ("start", "end")
    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        if start < 0 or end < start:
            raise ValueError(f"invalid span ({start}, {end})")
        _set(self, "start", start)
        _set(self, "end", end)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Span:
            return NotImplemented
        return self.start == other.start and self.end == other.end  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.start, self.end))

    def __lt__(self, other: Span) -> bool:
        if other.__class__ is not Span:
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)

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


class Edit(Record):
    """Replace ``span`` with ``text``: ``""`` deletes, an empty span inserts."""

    __slots__ = ("span", "text")
    _fields = ("span", "text")
    span: Span
    text: str

    def __init__(self, span: Span, text: str) -> None:
        _set(self, "span", span)
        _set(self, "text", text)

    @classmethod
    def delete(cls, start: int, end: int) -> Edit:
        return cls(Span(start, end), "")

    @classmethod
    def replace(cls, start: int, end: int, text: str) -> Edit:
        return cls(Span(start, end), text)

    @classmethod
    def insert(cls, at: int, text: str) -> Edit:
        return cls(Span(at, at), text)


class Fix(Record):
    __slots__ = ("edits", "applicability", "title")
    _fields = ("edits", "applicability", "title")
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str

    def __init__(self, edits: tuple[Edit, ...], applicability: Applicability, title: str) -> None:
        if not edits:
            raise ValueError("a fix needs at least one edit")
        ordered = sorted(edits, key=lambda e: (e.span.start, e.span.end))
        for a, b in zip(ordered, ordered[1:]):
            if a.span.overlaps(b.span) or a.span.end > b.span.start:
                raise ValueError("the edits of one fix overlap")
        _set(self, "edits", tuple(ordered))
        _set(self, "applicability", applicability)
        _set(self, "title", title)

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


class Violation(Record):
    """What a rule yields: where, what, and optionally how to fix it. The engine
    turns it into a Diagnostic carrying the rule's code, name and severity."""

    __slots__ = ("span", "message", "fix")
    _fields = ("span", "message", "fix")
    span: Span
    message: str
    fix: Fix | None

    def __init__(self, span: Span, message: str, fix: Fix | None = None) -> None:
        _set(self, "span", span)
        _set(self, "message", message)
        _set(self, "fix", fix)


class Diagnostic(Record):
    __slots__ = ("code", "name", "span", "message", "severity", "fix", "data")
    # ``data`` (extra rule-specific data for reporters, e.g. the LanguageTool
    # rule id) is not part of the value: not compared, not hashed.
    _fields = ("code", "name", "span", "message", "severity", "fix")
    code: str
    name: str
    span: Span
    message: str
    severity: Severity
    fix: Fix | None
    data: dict

    def __init__(self, code: str, name: str, span: Span, message: str, severity: Severity,
                 fix: Fix | None = None, data: dict | None = None) -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "span", span)
        _set(self, "message", message)
        _set(self, "severity", severity)
        _set(self, "fix", fix)
        _set(self, "data", {} if data is None else data)

    def __repr__(self) -> str:
        return super().__repr__()[:-1] + f", data={self.data!r})"

    def __reduce__(self) -> tuple:
        return (self.__class__, (*self._values(), self.data))

    def copy(self, **changes: object) -> Diagnostic:
        values = {name: getattr(self, name) for name in (*self._fields, "data")}
        values.update(changes)
        return Diagnostic(**values)  # type: ignore[arg-type]

    @property
    def sort_key(self) -> tuple:
        return (self.span.start, self.span.end, self.code, self.message)
