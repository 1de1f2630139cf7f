"""Check (and fix) one article: read, decode, lint, fix, report what is left."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from .config import Settings
from .document import Document
from .engine import INCOMPLETE, RUN_NOTICES, engine_diag, lint_document
from .files import DecodeError, FileChangedError, Source, atomic_write, decode, normalize_newlines
from .fixer import fix_source
from .types import Applicability, Diagnostic, Record, Severity, Span


_NO_COUNTS: Counter = Counter()  # shared by slimmed results; never added to
_NO_NOTICES: dict[str, str] = {}
_COUNTED = (Severity.ERROR, Severity.WARNING, Severity.INFO, Applicability.SAFE, Applicability.UNSAFE)


class FileResult:
    __slots__ = ("path", "diagnostics", "text", "settings", "fixed", "original", "fixed_source", "written",
                 "cross_keys", "raw_data", "notices", "incomplete", "tally", "reread")

    def __init__(
        self,
        path: str,
        diagnostics: list[Diagnostic],
        text: str,
        settings: Settings,
        fixed: Counter | None = None,
        original: Source | None = None,
        fixed_source: Source | None = None,
        written: bool = False,
        cross_keys: dict[str, tuple[str, Span]] | None = None,
        raw_data: bytes | None = None,
        notices: dict[str, str] | None = None,
        incomplete: bool = False,
        tally: tuple[int, ...] = (),
        reread: Path | str | None = None,
    ) -> None:
        self.path = path  # as shown to the user
        self.diagnostics = diagnostics
        self.text = text  # the (normalised) text the diagnostics' offsets refer to
        self.settings: Settings | None = settings
        self.fixed: Counter = Counter() if fixed is None else fixed
        self.original = original
        self.fixed_source = fixed_source  # set when fixes changed the text
        self.written = written
        # Cross-file rule code -> (key, span) of this file (see RuleMeta.cross_file).
        self.cross_keys: dict[str, tuple[str, Span]] = {} if cross_keys is None else cross_keys
        # A clean file from the cache keeps its bytes undecoded until a finding
        # needs its text (see ensure_text).
        self.raw_data = raw_data
        # Conditions of the run met on this file (engine.run_notice): code -> message.
        self.notices: dict[str, str] = {} if notices is None else notices
        # A rule ran out of time on this file (engine.INCOMPLETE): not cached.
        self.incomplete = incomplete
        # Findings already written and dropped (streaming): their counts, by
        # severity and by fix applicability (in _COUNTED's order), and where to
        # read the text again.
        self.tally = tally
        self.reread = reread

    def __repr__(self) -> str:
        return f"FileResult(path={self.path!r}, diagnostics={self.diagnostics!r})"

    def ensure_text(self) -> None:
        if self.raw_data is None and self.reread is not None and not self.text:
            try:
                self.raw_data = Path(self.reread).read_bytes()
            except OSError:
                return
        if self.raw_data is not None:
            try:
                self.original = decode(self.raw_data)
            except DecodeError:
                self.raw_data = None
                return
            self.text, _ = self.original.normalized()
            self.raw_data = None

    def counts(self) -> Counter:
        """The findings left, by severity and by fix applicability: those
        still held and those already written and dropped."""
        counts = Counter(dict(zip(_COUNTED, self.tally)))
        for d in self.diagnostics:
            counts[d.severity] += 1
            if d.fix is not None:
                counts[d.fix.applicability] += 1
        return counts

    def slim(self, path: Path | str) -> None:
        """Forget the text and the findings once they are written, keeping
        their counts: memory stays bounded by the largest file, not by the
        number of files (a cross-file finding reads the file again). Empty
        counters and tables are dropped for shared empty ones."""
        if self.diagnostics:
            self.tally = tuple(self.counts()[k] for k in _COUNTED)
        self.fixed = self.fixed or _NO_COUNTS
        self.notices = self.notices or _NO_NOTICES
        self.diagnostics = []
        self.text = ""
        self.original = self.fixed_source = None
        self.raw_data = None
        self.reread = path

    @property
    def fixed_count(self) -> int:
        return sum(self.fixed.values())


class Mode(Record):
    __slots__ = _fields = ("fix", "unsafe_fixes", "diff")
    fix: bool
    unsafe_fixes: bool
    diff: bool  # compute fixes, write nothing

    def __init__(self, fix: bool = False, unsafe_fixes: bool = False, diff: bool = False) -> None:
        object.__setattr__(self, "fix", fix)
        object.__setattr__(self, "unsafe_fixes", unsafe_fixes)
        object.__setattr__(self, "diff", diff)

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
    notices: dict[str, str] = {}
    incomplete: list[bool] = []

    def lint(text: str) -> list[Diagnostic]:
        doc = Document(path, text)
        last[:] = [doc]
        diags = lint_document(doc, settings)
        for code, message in doc.cache.get(RUN_NOTICES, {}).items():
            notices.setdefault(code, message)
        if doc.cache.get(INCOMPLETE):
            incomplete.append(True)
        return diags

    if not mode.fixing:
        text, _ = source.normalized()
        result = FileResult(shown, lint(text), text, settings, original=source, notices=notices)
        result.incomplete = bool(incomplete)
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
        fixed_source=res.source if res.changed else None, notices=notices, incomplete=bool(incomplete),
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
            r.ensure_text()
            meta = r.settings.enabled[code]
            # The first three others are among the first four members: a
            # group of n files costs n, not n * n.
            others = [m.path for m in members[:4] if m is not r][:3]
            more = len(members) - 1 - len(others)
            shown = ", ".join(others) + (f" and {more} more" if more > 0 else "")
            span = r.cross_keys[code][1]
            r.diagnostics.append(engine_diag(r.settings, code, meta.cross_file_message.format(others=shown), span))
            r.diagnostics.sort(key=lambda d: d.sort_key)


def report_run_notices(results: list[FileResult], strict: bool = False) -> None:
    """Report each run notice (engine.run_notice) once for the whole run, on
    the first file it was met on, with the number of files concerned;
    ``strict`` (``check --strict``) makes it an error."""
    firsts: dict[str, FileResult] = {}
    counts: Counter = Counter()
    for r in results:
        for code in r.notices:
            firsts.setdefault(code, r)
            counts[code] += 1
    for code, r in firsts.items():
        if code not in r.settings.enabled:
            continue
        r.ensure_text()
        n = counts[code]
        message = f"{r.notices[code]}; {n} file{'s' if n != 1 else ''} not checked"
        diag = engine_diag(r.settings, code, message)
        if strict:
            diag = Diagnostic(diag.code, diag.name, diag.span, diag.message, Severity.ERROR, diag.fix)
        r.diagnostics.append(diag)
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
        try:
            atomic_write(path, result.fixed_source.encode(), expected=data)
        except FileChangedError as exc:
            # Someone else's newer content (or its removal) wins; what was
            # found in the old content no longer applies to the file.
            _warn_not_written(shown, f"{exc.reason} while it was being fixed; not written")
            return FileResult(shown, _engine(settings, str(path), "XX008",
                                             f"File {exc.reason} while it was being fixed; not written"), "", settings)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            _warn_not_written(shown, f"not written: {reason}")
            # The file is as it was read: report its findings as they stand.
            result = check_bytes(data, str(path), shown, settings, Mode())
            result.diagnostics = sorted(
                result.diagnostics + _engine(settings, str(path), "XX008",
                                             f"Cannot write the fixed file: {reason}; left unchanged"),
                key=lambda d: d.sort_key)
            return result
        result.written = True
    return result


def _warn_not_written(shown: str, what: str) -> None:
    import sys

    print(f"artlint: warning: {shown}: {what}", file=sys.stderr, flush=True)


# ------------------------------------------------------- cache and workers
def _read(path: Path | str, settings: Settings) -> bytes | None:
    """The bytes of ``path``, or None when ``check_path`` must report why not
    (unreadable, too large)."""
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size > settings.max_file_size:
                return None
            return f.read()
    except OSError:
        return None


def _through_cache(path: Path | str, shown: str, settings: Settings, mode: Mode,
                   cache) -> tuple[FileResult, str | None, bool]:
    """``check_path`` through the cache, reading and hashing the file once:
    (result, the key to store it under or None, whether it came from the
    cache). Only for checks: ``check_path`` writes fixes. Without a
    ``cache`` (a worker: the parent has looked) the key is still computed."""
    data = _read(path, settings)
    if data is None:
        return check_path(Path(path), shown, settings, mode), None, False
    from .cache import entry_key

    key = entry_key(data, path, settings)
    found = _hit(cache, key, data, shown, settings) if cache is not None else None
    if found is not None:
        return found, key, True
    result = check_bytes(data, str(path), shown, settings, mode)
    return result, _storable(result, key), False


def _storable(result: FileResult, key: str | None) -> str | None:
    # A file some check skipped (no grammar server) is checked again next
    # time; so is one where a rule ran out of time, which may have been the
    # machine's load and not the file (reported as XX009 or XX006, or not
    # at all when both are ignored).
    if result.notices or result.incomplete:
        return None
    return key


def _hit(cache, key: str, data: bytes, shown: str, settings: Settings) -> FileResult | None:
    hit = cache.get(shown, key)
    if hit is None:
        return None
    diagnostics, cross_keys = hit
    if not diagnostics:
        return FileResult(shown, [], "", settings, cross_keys=cross_keys, raw_data=data)
    try:
        source = decode(data)
    except DecodeError:
        return None
    text, _ = source.normalized()
    return FileResult(shown, diagnostics, text, settings, original=source, cross_keys=cross_keys)


_WORKER: dict = {}


def _worker_init(layer, cwd: Path, mode: Mode, caching: bool) -> None:
    _WORKER.update(layer=layer, cwd=cwd, mode=mode, caching=caching)


def _worker_check(item: tuple[str, str, str | None]) -> tuple[FileResult, str | None]:
    """Lint one file the cache could not answer; its key is taken from the
    bytes linted here (the file may have changed since the parent looked)."""
    from .config import settings_for

    path, shown, config = item
    settings = settings_for(Path(config) if config else None, _WORKER["layer"], _WORKER["cwd"])
    if _WORKER["caching"]:
        result, key, _ = _through_cache(path, shown, settings, _WORKER["mode"], None)
    else:
        result, key = check_path(Path(path), shown, settings, _WORKER["mode"]), None
    result.settings = None  # the parent has it; it does not travel between processes
    return result, key


def check_many(targets: list, mode: Mode, cache, jobs: int, layer, cwd: Path):
    """Check ``targets`` ((path, shown, settings) each) in order, yielding
    (result, cache key, from the cache) as each is ready. Each file is read
    and hashed once for the cache; with ``jobs`` > 1 and enough files the
    cache cannot answer, the others go to a pool of worker processes, in
    chunks so that small files do not drown in overhead. The order is the
    targets' whatever the scheduling."""
    caching = cache is not None and not mode.fixing
    few = max(2 * jobs, 16)
    if jobs <= 1 or len(targets) < few:
        for path, shown, settings in targets:
            if caching:
                yield _through_cache(path, shown, settings, mode, cache)
            else:
                yield check_path(Path(path), shown, settings, mode), None, False
        return
    ready: dict[int, tuple] = {}
    todo = []
    for i, (path, shown, settings) in enumerate(targets):
        data = _read(path, settings) if caching else None
        if data is not None:
            from .cache import entry_key

            key = entry_key(data, path, settings)
            found = _hit(cache, key, data, shown, settings)
            if found is not None:
                ready[i] = (found, key, True)
                continue
        todo.append(i)
    if len(todo) < few:  # a warm run: the few misses are not worth a pool
        for i, (path, shown, settings) in enumerate(targets):
            yield ready[i] if i in ready else (
                _through_cache(path, shown, settings, mode, cache) if caching
                else (check_path(Path(path), shown, settings, mode), None, False))
        return
    _prepare_run(targets)
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    items = [(str(targets[i][0]), targets[i][1], str(targets[i][2].path) if targets[i][2].path else None)
             for i in todo]
    chunk = max(1, min(64, len(items) // (jobs * 4)))
    with context.Pool(jobs, initializer=_worker_init, initargs=(layer, cwd, mode, caching)) as pool:
        checked = pool.imap(_worker_check, items, chunksize=chunk)
        for i, (_, _, settings) in enumerate(targets):
            if i in ready:
                yield ready[i]
                continue
            result, key = next(checked)
            result.settings = settings
            yield result, key, False


def _prepare_run(targets: list) -> None:
    """Let options with a ``prepare_run()`` set up what the workers share,
    once, before they fork (GR starts a local LanguageTool server here)."""
    seen: set[int] = set()
    for _, _, settings in targets:
        for code in settings.enabled:
            opts = settings.options.get(code)
            prepare = getattr(opts, "prepare_run", None)
            if prepare is not None and id(opts) not in seen:
                seen.add(id(opts))
                prepare()
