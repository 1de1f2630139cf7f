"""The result cache: a re-run over unchanged files does no linting.

There is one entry per file, under the path it is shown under, holding
its last few versions (KEYS_PER_FILE): each the key its findings are good
for (SHA-256 of the file's bytes, its absolute path (per-file-ignores
depend on where it is), the resolved settings and artlint's version), the
findings and the file's cross-file keys (so duplicate headlines are still
found across cached and new files). A file that changed pushes out its
oldest version: the cache grows with the number of files, not with the
number of commits, and runs that alternate two selections (a hook with
``--select BP``, a full run) each find theirs. The cache is one JSON file
per artlint version in ``.artlint_cache/`` next to the nearest config (or
the working folder), written atomically at the end of a run; a cache that
cannot be read is ignored, one that cannot be written is skipped with a
warning. Only checks are cached: ``--fix`` and ``--diff`` always lint.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .config import Settings
from .types import Applicability, Diagnostic, Edit, Fix, Severity, Span

MAX_ENTRIES = 500_000
KEYS_PER_FILE = 4
_FORMAT = 3  # entries by path, a few versions each (1: by key; 2: one version)
_fingerprints: dict[int, tuple[Settings, str]] = {}


def settings_fingerprint(settings: Settings) -> str:
    """A hash of everything in ``settings`` that changes findings."""
    cached = _fingerprints.get(id(settings))
    if cached is not None and cached[0] is settings:
        return cached[1]
    h = hashlib.sha256(__version__.encode())
    for code, meta in settings.enabled.items():
        h.update(f"\0{code}\0{settings.severity.get(code)}\0{settings.options.get(code)!r}".encode())
        if meta.origin != "builtin":
            try:
                h.update(Path(meta.origin).read_bytes())
            except OSError:
                h.update(b"\0missing")
    h.update(json.dumps(settings.per_file_ignores, sort_keys=True).encode())
    digest = h.hexdigest()
    _fingerprints[id(settings)] = (settings, digest)
    return digest


def entry_key(data: bytes, path: str | Path, settings: Settings) -> str:
    """The key of the findings for a file at ``path`` holding ``data``."""
    h = hashlib.sha256(data)
    # A file name need not be UTF-8: its undecodable bytes come back as they were.
    h.update(f"\0{os.path.abspath(path)}\0{settings_fingerprint(settings)}".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _encode(d: Diagnostic) -> list[Any]:
    fix = None
    if d.fix is not None:
        fix = [d.fix.applicability.value, d.fix.title, [[e.span.start, e.span.end, e.text] for e in d.fix.edits]]
    return [d.code, d.name, d.span.start, d.span.end, d.message, d.severity.value, fix]


def _decode(item: list[Any]) -> Diagnostic:
    code, name, start, end, message, severity, fix = item
    decoded_fix = None
    if fix is not None:
        applicability, title, edits = fix
        decoded_fix = Fix(tuple(Edit(Span(a, b), text) for a, b, text in edits), Applicability(applicability), title)
    return Diagnostic(code, name, Span(start, end), message, Severity(severity), decoded_fix)


class Cache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.file = folder / f"artlint-{__version__}-{_FORMAT}.json"
        self.entries: dict[str, Any] | None = None
        self.used: dict[str, Any] = {}
        self.dirty = False

    def load(self) -> dict[str, Any]:
        if self.entries is None:
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
                self.entries = data["entries"] if isinstance(data, dict) and isinstance(data.get("entries"), dict) else {}
            except (OSError, ValueError, KeyError):
                self.entries = {}
        return self.entries

    def _versions(self, shown: str) -> list[list[Any]]:
        versions = self.used.get(shown)
        if versions is None:
            versions = self.load().get(shown)
        if not isinstance(versions, list):
            return []
        return [v for v in versions if isinstance(v, list) and len(v) == 3 and isinstance(v[0], str)]

    def get(self, shown: str, key: str) -> tuple[list[Diagnostic], dict[str, tuple[str, Span]]] | None:
        """The findings and cross-file keys cached for the file shown as
        ``shown``, if a version of it is for ``key`` (entry_key)."""
        versions = self._versions(shown)
        item = next((v for v in versions if v[0] == key), None)
        if item is None:
            return None
        try:
            diags = [_decode(x) for x in item[1]]
            cross = {code: (k, Span(a, b)) for code, (k, a, b) in item[2].items()}
        except (TypeError, ValueError, KeyError, AttributeError):
            return None  # a damaged entry: lint again
        if versions[0] is not item:
            self.dirty = True  # the version used goes first
        self.used[shown] = [item] + [v for v in versions if v is not item]
        return diags, cross

    def put(self, shown: str, key: str, diagnostics: list[Diagnostic],
            cross_keys: dict[str, tuple[str, Span]]) -> None:
        item = [key, [_encode(d) for d in diagnostics],
                {code: [k, span.start, span.end] for code, (k, span) in cross_keys.items()}]
        older = [v for v in self._versions(shown) if v[0] != key]
        self.used[shown] = [item] + older[: KEYS_PER_FILE - 1]
        self.dirty = True

    def save(self) -> None:
        """Keep this run's entries and as many older ones (of other files) as fit."""
        if not self.dirty:
            return
        from .files import atomic_write

        entries = dict(self.used)
        for key, item in self.load().items():
            if len(entries) >= MAX_ENTRIES:
                break
            entries.setdefault(key, item)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Created by artlint: the cache is not for version control.\n*\n",
                                     encoding="utf-8")
            atomic_write(self.file, json.dumps({"entries": entries}, separators=(",", ":")).encode())
        except OSError as exc:
            print(f"artlint: warning: cannot write the cache in {self.folder}: {exc.strerror or exc}",
                  file=sys.stderr)


def cache_folder(explicit: str | None, settings: Settings, cwd: Path) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("ARTLINT_CACHE_DIR")
    if env:
        return Path(env)
    return (settings.path.parent if settings.path is not None else cwd) / ".artlint_cache"
