"""Check (and fix) one article: read, decode, lint, fix, report what is left."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .document import Document
from .engine import engine_diag, lint_document
from .files import DecodeError, Source, atomic_write, decode, normalize_newlines
from .fixer import fix_source
from .types import Applicability, Diagnostic, Span


@dataclass
class FileResult:
    path: str  # as shown to the user
    diagnostics: list[Diagnostic]
    text: str  # the (normalised) text the diagnostics' offsets refer to
    settings: Settings
    fixed: Counter = field(default_factory=Counter)
    original: Source | None = None
    fixed_source: Source | None = None  # set when fixes changed the text
    written: bool = False
    # Cross-file rule code -> (key, span) of this file (see RuleMeta.cross_file).
    cross_keys: dict[str, tuple[str, Span]] = field(default_factory=dict)

    @property
    def fixed_count(self) -> int:
        return sum(self.fixed.values())


@dataclass(frozen=True)
class Mode:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False  # compute fixes, write nothing

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff

    @property
    def level(self) -> Applicability:
        return Applicability.UNSAFE if self.unsafe_fixes else Applicability.SAFE


def _engine(settings: Settings, path: str | None, code: str, message: str, offset: int = 0) -> list[Diagnostic]:
    if code not in settings.enabled or code in settings.ignored_for(path):
        return []
    return [engine_diag(settings, code, message, Span(offset, offset))]


def _too_large(size: int, path: str | None, shown: str, settings: Settings) -> FileResult:
    message = (f"File is {size / 1_000_000:.1f} MB, over max-file-size "
               f"({settings.max_file_size / 1_000_000:g} MB); not checked")
    return FileResult(shown, _engine(settings, path, "XX005", message), "", settings)


def check_bytes(data: bytes, path: str | None, shown: str, settings: Settings, mode: Mode) -> FileResult:
    """Check the bytes of one article; ``path`` drives the kind and
    per-file-ignores, ``shown`` is how it is named in reports."""
    if len(data) > settings.max_file_size:
        return _too_large(len(data), path, shown, settings)
    try:
        source = decode(data)
    except DecodeError as exc:
        text = normalize_newlines(exc.text)
        offset = len(normalize_newlines(exc.text[: exc.offset]))
        return FileResult(shown, _engine(settings, path, "XX001", str(exc), offset), text, settings)
    return check_source(source, path, shown, settings, mode)


def check_source(source: Source, path: str | None, shown: str, settings: Settings, mode: Mode) -> FileResult:
    last: list[Document] = []

    def lint(text: str) -> list[Diagnostic]:
        doc = Document(path, text)
        last[:] = [doc]
        return lint_document(doc, settings)

    if not mode.fixing:
        text, _ = source.normalized()
        result = FileResult(shown, lint(text), text, settings, original=source)
        _collect_cross_keys(result, last[0], path, settings)
        return result
    res = fix_source(source, lint, mode.level)
    diags = res.diagnostics
    if not res.converged:
        diags = diags + _engine(
            settings, path, "XX003",
            f"Fixes did not converge (rules involved: {', '.join(res.loop_codes)}); the file was left unchanged",
        )
    result = FileResult(
        shown, diags, res.text, settings, fixed=res.fixed, original=source,
        fixed_source=res.source if res.changed else None,
    )
    if res.converged:
        _collect_cross_keys(result, last[0], path, settings)
    return result


def _collect_cross_keys(result: FileResult, doc: Document, path: str | None, settings: Settings) -> None:
    ignored = settings.ignored_for(path)
    for code, meta in settings.enabled.items():
        if meta.cross_file is None or code in ignored:
            continue
        found = meta.cross_file(doc)
        if found is not None:
            result.cross_keys[code] = found


def report_cross_file(results: list[FileResult]) -> None:
    """Add the diagnostics of cross-file rules: files sharing a key are
    reported on each, naming the others. Grouped by key, not pairwise."""
    groups: dict[tuple[str, str], list[FileResult]] = {}
    for r in results:
        for code, (key, _) in r.cross_keys.items():
            groups.setdefault((code, key), []).append(r)
    for (code, _key), members in groups.items():
        if len(members) < 2:
            continue
        for r in members:
            meta = r.settings.enabled[code]
            others = [m.path for m in members if m is not r]
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            span = r.cross_keys[code][1]
            r.diagnostics.append(engine_diag(r.settings, code, meta.cross_file_message.format(others=shown), span))
            r.diagnostics.sort(key=lambda d: d.sort_key)


def check_path(path: Path, shown: str, settings: Settings, mode: Mode) -> FileResult:
    try:
        size = path.stat().st_size
        if size > settings.max_file_size:
            return _too_large(size, str(path), shown, settings)
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(shown, _engine(settings, str(path), "XX001",
                                         f"Cannot read file: {exc.strerror or exc}"), "", settings)
    result = check_bytes(data, str(path), shown, settings, mode)
    if mode.fix and not mode.diff and result.fixed_source is not None:
        atomic_write(path, result.fixed_source.encode())
        result.written = True
    return result
