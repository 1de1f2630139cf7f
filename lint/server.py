"""The artlint language server (``artlint server``): diagnostics and fixes in
the editor.

It speaks the Language Server Protocol through pygls (installed with the
``lsp`` extra); pygls and lsprotocol are imported only when the server is
built, so importing this module, or the CLI, stays cheap.

What it does:

- publishes diagnostics when a document is opened or saved, and after a
  pause in typing (debounced) when it changes; each carries the rule code,
  its severity, ``source: "artlint"`` and, in ``data``, the rule name and
  how to read its documentation (``artlint rule CODE``).  artlint has no
  published documentation site, so no ``codeDescription`` link is sent;
  hovering a finding shows the rule's documentation instead;
- code actions: a quick fix per finding with a safe or unsafe fix (the
  unsafe ones titled "Fix (unsafe): ..."), "Fix all safe artlint findings"
  (kind ``source.fixAll.artlint``, what ``artlint check --fix`` would
  write) and, in Markdown, "Disable CODE for this line": an
  ``artlint-disable-next-line`` comment line, ``artlint-disable-line`` at
  the end of a line inside a paragraph, list or quotation (a comment line
  would split it), a disable/enable pair around extra blank lines; offered
  only when linting the text with the comment shows that it works;
- the configuration a document gets is the one ``artlint check`` would use
  for its path (the nearest ``.artlint.toml``, ``artlint.toml`` or
  ``pyproject.toml`` with ``[tool.artlint]``); it is looked up again on
  every lint, keyed by the config files' modification times, and open
  documents are checked again when the client reports a changed config
  file (``workspace/didChangeWatchedFiles``, registered when the client
  allows it).  Files the config excludes get no diagnostics;
- a bad config is one diagnostic at the top of the document naming the
  problem; a binary or oversized document is ``XX001`` / ``XX005`` as on the
  command line, and so is text that is not UTF-8 (``XX001`` at the first bad
  byte: a client passes such a file's bytes on as lone surrogates); an error
  inside artlint is ``XX006`` and a log message, never a crash.

What a client gets wrong costs at most the message it got wrong (Framer,
the protocol's ``dispatch``): framing errors are skipped to the next message
with a warning logged to the client, a body that is not JSON gets a
ParseError response, a malformed request InvalidRequest or InvalidParams
(ill-typed numbers and strings included), an unknown method MethodNotFound;
notifications that cannot be understood are dropped.  Requests before
``initialize`` get ServerNotInitialized, after ``shutdown`` InvalidRequest.
``exit``, or the client closing the connection, ends the process: status 0
after ``shutdown``, else 1.  Changes, saves and closes of documents never
opened are ignored, requests on them answered with null.

Linting runs on a worker thread, in order, while the event loop goes on
reading: diagnostics are published only for the document's current text
(never an older version's after a newer one), and lints asked for while one
runs are merged into one after it, so changes and saves coming faster than
artlint lints do not pile up.

Positions: artlint works on ``str`` offsets into the LF-normalised text.
They are mapped to offsets into the editor's text (CRLF kept) and from there
to LSP positions, whose lines end at ``\\n``, ``\\r\\n`` or ``\\r`` and whose
columns count code units of the negotiated encoding (UTF-16 unless the client
offers UTF-8 or UTF-32).  The server asks for full synchronisation, so its
copy is exactly the editor's text; ranged changes are applied all the same
(see apply_changes), and a change with a version older than the document's
is ignored.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import re
import sys
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .config import CONFIG_NAMES, ConfigError, Layer, Settings, build_settings, read_config_file
from .document import ARTICLE_SUFFIXES, Document, document_kind
from .engine import engine_diag, lint_document
from .files import Source, raw_offset
from .fixer import fix_source
from .types import Applicability, Diagnostic, Edit, Severity, Span

logger = logging.getLogger("artlint.server")

SOURCE = "artlint"
FIX_ALL_KIND = "source.fixAll.artlint"
DEBOUNCE_SECONDS = 0.3
# Each "disable for this line" action is checked by linting the text with the
# comment in it; a range over many findings gets at most this many tried.
MAX_DISABLE_ACTIONS = 20
FIX_ALL_TITLE = "Fix all safe artlint findings"

# A position is (line, character), both 0-based, the character in code units
# of the negotiated encoding; a range is (start, end).
Position = tuple[int, int]
Range = tuple[Position, Position]

_LSP_EOL_RE = re.compile(r"\r\n|\n|\r")


# ------------------------------------------------------------- positions
class PositionMap:
    """Maps artlint offsets (into the LF-normalised text) to LSP positions in
    the editor's text ``raw``."""

    def __init__(self, raw: str, encoding: str = "utf-16") -> None:
        self.raw = raw
        self.encoding = encoding if encoding in ("utf-8", "utf-16", "utf-32") else "utf-16"
        self.line_starts = [0]
        self.line_starts.extend(m.end() for m in _LSP_EOL_RE.finditer(raw))
        self.source = Source(raw)
        self.text, self.cr_positions = self.source.normalized()

    def units(self, s: str) -> int:
        if self.encoding == "utf-32" or s.isascii():
            return len(s)
        if self.encoding == "utf-16":
            return len(s.encode("utf-16-le", "surrogatepass")) // 2
        return len(s.encode("utf-8", "surrogatepass"))

    def raw_offset(self, offset: int) -> int:
        """The offset in the editor's text of an offset in the normalised text."""
        return raw_offset(offset, self.cr_positions)

    def position_at_raw(self, offset: int) -> Position:
        line = bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        return line, self.units(self.raw[start:offset])

    def position(self, offset: int) -> Position:
        return self.position_at_raw(self.raw_offset(offset))

    def range(self, span: Span) -> Range:
        return self.position(span.start), self.position(span.end)

    def raw_range(self, start: int, end: int) -> Range:
        return self.position_at_raw(start), self.position_at_raw(end)

    @property
    def newline(self) -> str:
        """The line break inserted text gets (as the fixer writes it)."""
        return "\r\n" if self.source.crlf else "\n"

    def text_edit(self, edit: Edit) -> tuple[Range, str]:
        """An artlint edit as an LSP text edit on the editor's text."""
        body = edit.text
        if self.cr_positions and self.newline == "\r\n":
            body = body.replace("\n", "\r\n")
        return self.range(edit.span), body


_LINE_RE = re.compile(r"[^\n]*\n|[^\n]+\Z")


def line_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """Replacements (start, end, text) of whole lines turning ``old`` into
    ``new``: small edits keep the editor's cursor and undo history sensible.
    Lines end at ``\n``, so a CRLF is never split."""
    import difflib

    a = _LINE_RE.findall(old)
    b = _LINE_RE.findall(new)
    starts = [0]
    for line in a:
        starts.append(starts[-1] + len(line))
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append((starts[i1], starts[i2], "".join(b[j1:j2])))
    return out


# --------------------------------------------------------- disable comment
_NEXT_LINE_RE = re.compile(r"[ \t]*<!--\s*artlint-disable-next-line\b(?P<codes>(?:(?!-->).)*?)\s*-->[ \t]*")
# The codes stop at the next "<!--" too: unclosed comments are not each
# read to the end of the line.
_SAME_LINE_RE = re.compile(r"<!--\s*artlint-disable-line\b(?P<codes>(?:(?!-->|<!--).)*?)\s*-->[ \t]*$")
# Lines where a comment cannot go: it would break the block, or not be a comment.
_NO_COMMENT_REGIONS = frozenset({"front-matter", "code-block", "html-block", "html-comment", "table"})


def disable_candidates(doc: Document, diag: Diagnostic) -> list[tuple[Edit, ...]]:
    """Ways to suppress ``diag`` with a comment, best first, as edits of the
    normalised text; none where artlint has no comments (plain text, XX
    findings) or a comment would break the block the finding is on (front
    matter, code, HTML, tables).

    - a finding at the start of a top-level block: a
      ``<!-- artlint-disable-next-line CODE -->`` line above it (or the code
      added to such a line already there);
    - on a line inside a paragraph, list item or quotation, where a comment
      line would split the block: ``<!-- artlint-disable-line CODE -->`` at
      the end of the line, then the comment line above;
    - on a blank line (extra blank lines): ``artlint-disable CODE`` and
      ``artlint-enable CODE`` comments around the blank lines, since a
      comment line among them would change what is reported.
    """
    if doc.kind != "markdown" or diag.code.startswith("XX"):
        return []
    text = doc.text
    offset = min(diag.span.start, len(text))
    line, _ = doc.position(offset)
    line_span = doc.line_span(line)
    for region in doc.regions:
        if region.kind in _NO_COMMENT_REGIONS and region.span.start <= line_span.end and line_span.start < max(
            region.span.end, region.span.start + 1
        ):
            return []
    code = diag.code
    if not text[line_span.start : line_span.end].strip():
        first = last = line
        while first > 1 and not doc.line_text(first - 1).strip():
            first -= 1
        while last < doc.line_count and not doc.line_text(last + 1).strip():
            last += 1
        opening = Edit.insert(doc.line_starts[first - 1], f"<!-- artlint-disable {code} -->\n")
        if last >= doc.line_count:
            return [(opening,)]  # the blank lines end the text: nothing to close
        return [(opening, Edit.insert(doc.line_starts[last], f"<!-- artlint-enable {code} -->\n"))]

    def next_line() -> Edit:
        if line > 1:
            prev = doc.line_span(line - 1)
            m = _NEXT_LINE_RE.fullmatch(text, prev.start, prev.end)
            if m is not None:
                return Edit.insert(m.end("codes"), f" {code}")
        return Edit.insert(line_span.start, f"<!-- artlint-disable-next-line {code} -->\n")

    def same_line() -> Edit:
        line_text = text[line_span.start : line_span.end]
        m = _SAME_LINE_RE.search(line_text)
        if m is not None:
            return Edit.insert(line_span.start + m.end("codes"), f" {code}")
        return Edit.insert(line_span.start + len(line_text.rstrip(" \t")), f" <!-- artlint-disable-line {code} -->")

    para = next((p for p in doc.paragraphs if p.span.start <= offset < max(p.span.end, p.span.start + 1)), None)
    inside = para is not None and (
        para.kind in ("list-item", "blockquote") or doc.position(para.span.start)[0] < line
    )
    return [(same_line(),), (next_line(),)] if inside else [(next_line(),), (same_line(),)]


def disable_edits(doc: Document, diag: Diagnostic,
                  lint: Callable[[str], list[Diagnostic]]) -> tuple[Edit, ...] | None:
    """The first of :func:`disable_candidates` that works: linted again
    (``lint(text)``, as ``doc`` was), the text has fewer findings of the rule
    and no more unused or unknown suppressions (XX002, XX004)."""
    from collections import Counter

    from .edits import apply_edits

    candidates = disable_candidates(doc, diag)
    if not candidates:
        return None
    before = Counter(d.code for d in lint(doc.text))
    for edits in candidates:
        after = Counter(d.code for d in lint(apply_edits(doc.text, edits)))
        if after[diag.code] < before[diag.code] and all(after[c] <= before[c] for c in ("XX002", "XX004")):
            return edits
    return None


# ---------------------------------------------------------------- analysis
@dataclass
class Analysis:
    """One lint of one version of a document."""

    uri: str
    version: int | None
    raw: str
    path: str | None
    kind: str
    positions: PositionMap
    settings: Settings | None = None
    doc: Document | None = None  # None when the text was not linted
    diagnostics: list[Diagnostic] = field(default_factory=list)
    problem: str | None = None  # a configuration error: nothing was checked
    config_path: Path | None = None
    excluded: bool = False
    _fixed: str | None = field(default=None, repr=False)
    _disables: dict[int, tuple[Edit, ...] | None] = field(default_factory=dict, repr=False)

    def lint(self, text: str) -> list[Diagnostic]:
        """Lint another text as this document (its path, kind and settings)."""
        assert self.settings is not None
        return lint_document(Document(self.path, text, self.kind), self.settings)

    def disable(self, index: int) -> tuple[Edit, ...] | None:
        """The edits that suppress ``diagnostics[index]`` (see disable_edits)."""
        if self.doc is None:
            return None
        if index not in self._disables:
            diag = self.diagnostics[index]
            assert self.settings is not None
            # Only the rule and the suppression checks run: cheap, and no
            # other rule's cost (a grammar server) is paid again.
            narrowed = self.settings.copy(enabled={
                code: meta for code, meta in self.settings.enabled.items() if code in (diag.code, "XX002", "XX004")})

            def lint(text: str) -> list[Diagnostic]:
                return lint_document(Document(self.path, text, self.kind), narrowed)

            try:
                self._disables[index] = disable_edits(self.doc, diag, lint)
            except Exception:
                logger.exception("artlint: a suppression comment for %s failed", self.uri)
                self._disables[index] = None
        return self._disables[index]

    def fix_all(self) -> str | None:
        """The text with every safe fix applied (to a fixed point, as
        ``artlint check --fix`` writes it), or None when nothing changes."""
        if self.doc is None or self.settings is None:
            return None
        if self._fixed is None:
            try:
                res = fix_source(Source(self.raw), self.lint, Applicability.SAFE)
                self._fixed = res.source.raw if res.converged else self.raw
            except Exception:  # never a crash: just no fix-all
                logger.exception("artlint: fixing %s failed", self.uri)
                self._fixed = self.raw
        return None if self._fixed == self.raw else self._fixed


def _stat_key(p: Path) -> tuple | None:
    try:
        st = p.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class Linter:
    """The server's artlint side, free of LSP types: config resolution (the
    CLI's discovery, re-checked on every lint by file modification times)
    and a cache of the last analysis per document."""

    def __init__(self) -> None:
        self.roots: list[Path] = []
        # folder -> (stamp of its config files, the config file found there)
        self._dirs: dict[Path, tuple[tuple, Path | None]] = {}
        # config path (None: no config, keyed by root) -> (stamp, settings)
        self._settings: dict[tuple[Path | None, Path], tuple[tuple, Settings]] = {}
        self._last: dict[str, Analysis] = {}

    def invalidate(self) -> None:
        self._dirs.clear()
        self._settings.clear()
        self._last.clear()

    def forget(self, uri: str) -> None:
        self._last.pop(uri, None)

    # ---------------------------------------------------------- config
    def find_config(self, folder: Path) -> Path | None:
        from .config import _config_in

        d = folder
        while True:
            stamp = tuple((name, _stat_key(d / name)) for name in CONFIG_NAMES)
            if any(key is not None for _, key in stamp):
                cached = self._dirs.get(d)
                if cached is not None and cached[0] == stamp:
                    hit = cached[1]
                else:
                    hit = _config_in(d)
                    self._dirs[d] = (stamp, hit)
                if hit is not None:
                    return hit
            if d.parent == d:
                return None
            d = d.parent

    def _root_for(self, path: Path | None) -> Path:
        if path is not None:
            for root in sorted(self.roots, key=lambda r: len(r.parts), reverse=True):
                if root == path or root in path.parents:
                    return root
            return path.parent
        return self.roots[0] if self.roots else Path.cwd()

    def _config_near(self, path: Path | None) -> Path | None:
        try:
            return self.find_config((path.parent if path is not None else self._root_for(None)).resolve())
        except OSError:
            return None

    def settings_for(self, path: Path | None) -> tuple[Settings, Path | None]:
        """The settings ``artlint check`` would use for ``path`` (None: an
        unsaved document, which gets the workspace's config)."""
        folder = path.parent if path is not None else self._root_for(None)
        config = self.find_config(folder.resolve())
        root = config.parent if config is not None else self._root_for(path)
        key = (config, root)
        stamp = _stat_key(config) if config is not None else None
        cached = self._settings.get(key)
        if cached is not None and cached[0] == (stamp, _rule_stamp(cached[1])):
            return cached[1], config
        raw = read_config_file(config) if config is not None else {}
        settings = build_settings(raw, root, config, Layer())
        self._settings[key] = ((stamp, _rule_stamp(settings)), settings)
        return settings, config

    # ---------------------------------------------------------- linting
    def analyze(self, uri: str, raw: str, version: int | None = None, path: str | None = None,
                language_id: str | None = None, encoding: str = "utf-16") -> Analysis:
        """Lint ``raw`` (the editor's text of ``uri``, at file ``path`` when
        it has one), reusing the last analysis when nothing it depends on
        changed.  Never raises."""
        if path and "\x00" in path:
            path = None  # no file has such a name (a URI with %00): as an unsaved document
        file_path = Path(os.path.abspath(path)) if path else None
        last = self._last.get(uri)
        try:
            settings, config = self.settings_for(file_path)
        except ConfigError as exc:
            analysis = Analysis(uri, version, raw, path, _kind(path, language_id), PositionMap(raw, encoding),
                                problem=str(exc), config_path=self._config_near(file_path))
            self._last[uri] = analysis
            return analysis
        except Exception as exc:  # an OSError walking folders, a bug
            logger.exception("artlint: resolving the configuration for %s failed", uri)
            analysis = Analysis(uri, version, raw, path, _kind(path, language_id), PositionMap(raw, encoding),
                                problem=f"internal error while reading the configuration: "
                                        f"{type(exc).__name__}: {exc}")
            self._last[uri] = analysis
            return analysis
        if (last is not None and last.raw == raw and last.settings is settings and last.path == path
                and last.positions.encoding == encoding and last.kind == _kind(path, language_id)):
            last.version = version
            return last
        analysis = self._lint(uri, raw, version, path, language_id, encoding, settings, config)
        self._last[uri] = analysis
        return analysis

    def _lint(self, uri: str, raw: str, version: int | None, path: str | None, language_id: str | None,
              encoding: str, settings: Settings, config: Path | None) -> Analysis:
        kind = _kind(path, language_id)
        positions = PositionMap(raw, encoding)
        analysis = Analysis(uri, version, raw, path, kind, positions, settings=settings, config_path=config)
        try:
            if path is not None and settings.excludes(Path(path)):
                analysis.excluded = True
                return analysis
            data = raw.encode("utf-8", "surrogatepass")
            too_large = len(data) > settings.max_file_size
            if too_large or "\x00" in raw[:8192]:
                # Reported as the command line reports the file: XX005 (the
                # size is checked first) or XX001 for a binary file.
                from .runner import Mode, check_bytes

                result = check_bytes(data if too_large else b"\x00", path, path or uri, settings, Mode())
                analysis.diagnostics = [_at_start(d) for d in result.diagnostics]
                return analysis
            bad = _SURROGATE_RE.search(positions.text)
            if bad is not None:
                # Not text: the bytes of a file that is not UTF-8, as a client
                # passes them on (lone surrogates, as Python's surrogateescape
                # decodes them), or a lone surrogate escaped in the JSON.
                # Reported as the command line reports the file: XX001 where
                # the first bad byte is, and nothing else checked.
                from .runner import Mode, check_bytes

                result = check_bytes(_undecoded_bytes(raw), path, path or uri, settings, Mode())
                analysis.diagnostics = [d.copy(span=Span(bad.start(), bad.start()))
                                        if d.code == "XX001" else _at_start(d) for d in result.diagnostics]
                return analysis
            doc = Document(path, positions.text, kind)
            analysis.diagnostics = lint_document(doc, settings) + _run_notices(doc, settings)
            analysis.diagnostics.sort(key=lambda d: d.sort_key)
            analysis.doc = doc
        except Exception as exc:  # a bug in artlint: report it, never crash
            logger.exception("artlint: checking %s failed", uri)
            analysis.doc = None
            analysis.diagnostics = []
            if "XX006" in settings.enabled and "XX006" not in settings.ignored_for(path):
                analysis.diagnostics = [engine_diag(
                    settings, "XX006", f"artlint failed on this file: {type(exc).__name__}: {exc}")]
        return analysis


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _undecoded_bytes(raw: str) -> bytes:
    """The bytes a text with lone surrogates stands for: surrogateescape gives
    back the bytes of a file that is not UTF-8; other lone surrogates are
    encoded as they are (not UTF-8 either)."""
    try:
        return raw.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return raw.encode("utf-8", "surrogatepass")


def _run_notices(doc: Document, settings: Settings) -> list[Diagnostic]:
    """Conditions of the run a rule noted while checking ``doc`` (a service
    that did not answer; see engine.run_notice, where it exists): the command
    line reports them once per run, the editor on the document."""
    from . import engine

    key = getattr(engine, "RUN_NOTICES", None)
    notices = doc.cache.get(key, {}) if key else {}
    return [engine_diag(settings, code, message) for code, message in notices.items()
            if code in settings.enabled and code in settings.registry.rules]


def _at_start(d: Diagnostic) -> Diagnostic:
    # check_bytes reports on text artlint did not keep (binary, too large):
    # the top of the document is the one position sure to exist.
    return Diagnostic(d.code, d.name, Span(0, 0), d.message, d.severity, None, d.data)


def _kind(path: str | None, language_id: str | None) -> str:
    if path and os.path.splitext(path)[1].lower() in ARTICLE_SUFFIXES:
        return document_kind(path)
    return "markdown" if language_id == "markdown" else "text"


def _rule_stamp(settings: Settings) -> tuple:
    """Modification times of the YAML rule files a config loads."""
    rule_paths = settings.raw.get("rule-paths") or []
    if isinstance(rule_paths, str):
        rule_paths = [rule_paths]
    out = []
    for p in rule_paths:
        path = settings.root / str(p)
        if path.is_dir():
            files = sorted(q for q in path.rglob("*") if q.suffix in (".yaml", ".yml"))
            out.extend((str(q), _stat_key(q)) for q in files)
        else:
            out.append((str(path), _stat_key(path)))
    return tuple(out)


# ============================================================ LSP layer
def _lsp_severity(severity: Severity) -> Any:
    from lsprotocol import types as lsp

    return {
        Severity.ERROR: lsp.DiagnosticSeverity.Error,
        Severity.WARNING: lsp.DiagnosticSeverity.Warning,
        Severity.INFO: lsp.DiagnosticSeverity.Information,
    }[severity]


def _lsp_range(r: Range) -> Any:
    from lsprotocol import types as lsp

    (sl, sc), (el, ec) = r
    return lsp.Range(start=lsp.Position(line=sl, character=sc), end=lsp.Position(line=el, character=ec))


def _fix_label(d: Diagnostic) -> str | None:
    if d.fix is None or d.fix.applicability == Applicability.DISPLAY_ONLY:
        return None
    return d.fix.applicability.value


def lsp_diagnostic(a: Analysis, d: Diagnostic) -> Any:
    from lsprotocol import types as lsp

    return lsp.Diagnostic(
        range=_lsp_range(a.positions.range(d.span)),
        message=d.message,
        severity=_lsp_severity(d.severity),
        code=d.code,
        source=SOURCE,
        data={"name": d.name, "fix": _fix_label(d), "documentation": f"artlint rule {d.code}"},
    )


def lsp_diagnostics(a: Analysis) -> list[Any]:
    from lsprotocol import types as lsp

    if a.problem is not None:
        related = None
        if a.config_path is not None:
            from pygls.uris import from_fs_path

            related = [lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=from_fs_path(str(a.config_path)), range=_lsp_range(((0, 0), (0, 0)))),
                message="the configuration file",
            )]
        return [lsp.Diagnostic(
            range=_lsp_range(((0, 0), (0, 0))),
            message=f"artlint configuration error, nothing was checked: {a.problem}",
            severity=lsp.DiagnosticSeverity.Error,
            source=SOURCE,
            related_information=related,
        )]
    return [lsp_diagnostic(a, d) for d in a.diagnostics]


def _overlaps(r: Range, start: Position, end: Position) -> bool:
    return r[0] <= end and start <= r[1]


def _wanted(kind: str, only: list[str] | None) -> bool:
    if not only:
        return True
    return any(kind == o or kind.startswith(o + ".") for o in only)


class _Edits:
    """Builds WorkspaceEdits in the form the client supports."""

    def __init__(self, document_changes: bool) -> None:
        self.document_changes = document_changes

    def __call__(self, a: Analysis, edits: list[tuple[Range, str]]) -> Any:
        from lsprotocol import types as lsp

        text_edits = [lsp.TextEdit(range=_lsp_range(r), new_text=t) for r, t in edits]
        if self.document_changes:
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=a.uri, version=a.version),
                edits=text_edits,
            )])
        return lsp.WorkspaceEdit(changes={a.uri: text_edits})


def code_actions(a: Analysis, start: Position, end: Position, only: list[str] | None,
                 workspace_edit: _Edits) -> list[Any]:
    from lsprotocol import types as lsp

    if a.doc is None or a.settings is None:
        return []
    quickfix = str(lsp.CodeActionKind.QuickFix.value)
    actions: list[Any] = []
    disables: list[Any] = []
    seen_disable: set[tuple[str, int]] = set()
    if _wanted(quickfix, only):
        for i, d in enumerate(a.diagnostics):
            r = a.positions.range(d.span)
            if not _overlaps(r, start, end):
                continue
            diag = lsp_diagnostic(a, d)
            label = _fix_label(d)
            if label is not None and d.fix is not None:
                prefix = "Fix" if label == "safe" else "Fix (unsafe)"
                actions.append(lsp.CodeAction(
                    title=f"{prefix}: {d.fix.title} ({d.code})",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=workspace_edit(a, [a.positions.text_edit(e) for e in d.fix.edits]),
                    is_preferred=label == "safe" or None,
                ))
            line = a.doc.position(d.span.start)[0]
            if (d.code, line) in seen_disable or len(seen_disable) >= MAX_DISABLE_ACTIONS:
                continue
            seen_disable.add((d.code, line))
            edits = a.disable(i)
            if edits is not None:
                disables.append(lsp.CodeAction(
                    title=f"Disable {d.code} for this line",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    edit=workspace_edit(a, [a.positions.text_edit(e) for e in edits]),
                ))
    actions.extend(disables)
    if _wanted(FIX_ALL_KIND, only) and any(_fix_label(d) == "safe" for d in a.diagnostics):
        fixed = a.fix_all()
        if fixed is not None:
            edits = [(a.positions.raw_range(s, e), body) for s, e, body in line_edits(a.raw, fixed)]
            actions.append(lsp.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, edit=workspace_edit(a, edits)))
    return actions


def hover_text(a: Analysis, pos: Position) -> str | None:
    """The documentation of the rules whose findings cover ``pos``."""
    if a.settings is None:
        return None
    parts: list[str] = []
    seen: set[str] = set()
    for d in a.diagnostics:
        r = a.positions.range(d.span)
        if d.code in seen or not _overlaps(r, pos, pos):
            continue
        seen.add(d.code)
        meta = a.settings.registry.rules.get(d.code)
        if meta is None:
            continue
        parts.append(f"### {meta.code} {meta.name}\n\n{meta.summary}.\n\n{meta.doc.strip()}")
    return "\n\n---\n\n".join(parts) if parts else None


# ------------------------------------------------------------ documents
@dataclass(frozen=True)
class OpenDocument:
    """The editor's copy of an open document.  ``seq`` is new on every
    change (and every didOpen), so a lint of an older text is known as one
    even where versions repeat (a document closed and opened again)."""

    uri: str
    text: str
    version: int
    language_id: str
    seq: int


def apply_changes(text: str, changes: list[tuple[Range | None, str]], encoding: str = "utf-16") -> str:
    """``text`` after the content changes of one didChange, in order: a
    change without a range is the whole new text, one with a range replaces
    it (incremental sync).  The server asks for full sync, but a client
    sending ranges anyway is served, as LSP says: a line past the last is
    the end of the text, a character past the end of its line the end of the
    line (before its line break); and further: a position inside a character
    (half of a surrogate pair) is the character's start, a range whose end
    comes before its start is taken the right way round.

    Line starts are found only as far as a change needs them, and kept up to
    where the text changed: a thousand ranged changes of a long document
    (many cursors) do not each search the whole text."""
    starts = [0]  # line starts known, in order: each after a line break

    def line_start(line: int) -> int | None:
        while len(starts) <= line:
            m = _LSP_EOL_RE.search(text, starts[-1])
            if m is None:
                return None
            starts.append(m.end())
        return starts[line]

    def offset(line: int, character: int) -> int:
        start = line_start(line)
        if start is None:
            return len(text)
        end = line_start(line + 1)
        if end is None:
            end = len(text)
        elif text[end - 1] == "\n":
            end -= 2 if end - 2 >= start and text[end - 2] == "\r" else 1
        else:
            end -= 1  # a lone CR
        if encoding == "utf-32" or text[start:end].isascii():
            return min(start + character, end)
        units = 0
        i = start
        while i < end:
            c = text[i]
            width = (2 if ord(c) > 0xFFFF else 1) if encoding == "utf-16" else len(c.encode("utf-8", "surrogatepass"))
            if units + width > character:
                break
            units += width
            i += 1
        return i

    for change_range, new_text in changes:
        if change_range is None:
            text = new_text
            del starts[1:]
            continue
        (sl, sc), (el, ec) = change_range
        a = offset(sl, sc)
        b = offset(el, ec)
        if b < a:
            a, b = b, a
        text = text[:a] + new_text + text[b:]
        # Line starts up to the change stay; one right at it may not (a CR
        # before it, an LF inserted: one line break now).
        del starts[bisect_right(starts, a - 1) or 1:]
    return text


def _fs_path(uri: str) -> str | None:
    """The file path of a ``file:`` URI; None for other schemes, for what is
    no URI at all and for a path no file can have (a NUL in it)."""
    from pygls.uris import to_fs_path

    try:
        path = to_fs_path(uri)
    except ValueError:  # "file://[x/...": urllib refuses it
        return None
    if not path or "\x00" in path:
        return None
    return path


# ------------------------------------------------------------ transport
# The base protocol: header lines (``Content-Length: N``, maybe a
# ``Content-Type``), a blank line, then N bytes of JSON.  What a client gets
# wrong in it costs that message, never the ones after it.
MAX_MESSAGE_BYTES = 256 * 1024 * 1024  # a longer Content-Length is refused, its body skipped
_MAX_LINE = 64 * 1024  # header line bytes kept while no line break comes
_HEADER_TAIL = 256  # what a line cut at _MAX_LINE keeps: a header may start in it
_LENGTH_RE = re.compile(rb"content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n\Z", re.IGNORECASE)
_OTHER_HEADER_RE = re.compile(rb"[A-Za-z0-9-]+[ \t]*:[^\r\n]*\r?\n")
# A header inside a body: valid JSON holds none (letters are no JSON token
# outside strings, and a string holds no raw line break), so the body was cut
# short (its Content-Length was too large) and a new message begins there.
_NEXT_HEADER_RE = re.compile(rb"content-length[ \t]*:[ \t]*\d+[ \t]*\r?\n", re.IGNORECASE)


class Framer:
    """Cuts the bytes a client sends into message bodies, and finds the next
    message after anything malformed.  :meth:`feed` returns events:

    - ``("message", body)``: a body, as its Content-Length says;
    - ``("cut", body)``: a body another message's header cut short;
    - ``("noise", n)``: n bytes skipped that were part of no message (a
      body without headers, the rest of a body longer than its
      Content-Length, headers without their blank line);
    - ``("bad-length", value)``: a Content-Length that is not a number of
      bytes, or over MAX_MESSAGE_BYTES; its body is skipped as noise.

    Header names are matched without regard to case, and a line may end at
    LF alone."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._length: int | None = None  # of the message whose headers are being read
        self._in_body = False
        self._scanned = 0  # how much of a body was searched for a header
        self._noise = 0

    def feed(self, data: bytes) -> list[tuple[str, Any]]:
        self._buf += data
        events: list[tuple[str, Any]] = []
        while self._body(events) if self._in_body else self._header_line(events):
            pass
        return events

    def _header_line(self, events: list[tuple[str, Any]]) -> bool:
        buf = self._buf
        nl = buf.find(b"\n")
        if nl < 0:
            if len(buf) > _MAX_LINE:  # noise without line breaks
                drop = len(buf) - _HEADER_TAIL
                self._noise += drop
                del buf[:drop]
                self._length = None
            return False
        line = bytes(buf[: nl + 1])
        del buf[: nl + 1]
        if line in (b"\r\n", b"\n"):
            if self._length is not None:
                self._in_body = True
                self._scanned = 0
            return True
        m = _LENGTH_RE.search(line)
        if m is not None:
            self._noise += m.start()
            if self._noise:
                events.append(("noise", self._noise))
                self._noise = 0
            value = m[1]
            if value.isdigit() and len(value) < 20 and int(value) <= MAX_MESSAGE_BYTES:
                self._length = int(value)
            else:
                self._length = None
                events.append(("bad-length", value[:40].decode("ascii", "replace")))
            return True
        if _OTHER_HEADER_RE.fullmatch(line) is None:
            self._noise += len(line)
            self._length = None  # headers that never ended: their message is lost
        return True

    def _body(self, events: list[tuple[str, Any]]) -> bool:
        buf, need = self._buf, self._length
        assert need is not None
        m = _NEXT_HEADER_RE.search(buf, max(0, self._scanned - 64), min(len(buf), need + 64))
        if m is not None and m.start() < need:
            events.append(("cut", bytes(buf[: m.start()])))
            del buf[: m.start()]
        elif len(buf) >= need:
            events.append(("message", bytes(buf[:need])))
            del buf[:need]
        else:
            self._scanned = len(buf)
            return False
        self._in_body = False
        self._length = None
        return True


def _decode_body(body: bytes) -> str:
    """A body as text for the JSON parser.  Bytes that are not UTF-8 are kept
    as lone surrogates (surrogateescape): in a string they are the text of a
    file that is not UTF-8, which gets XX001; elsewhere the JSON is invalid
    anyway."""
    text = body.decode("utf-8", "surrogateescape")
    return text.removeprefix("\ufeff")


class _PipeWriter:
    """The server's output on a pipe; a client that stops reading ends the
    server (``lost``) instead of raising into whatever was sending."""

    def __init__(self, stream: Any, lost: Callable[[], None]) -> None:
        self._stream = stream
        self._lost = lost
        self._broken = False

    def write(self, data: bytes) -> None:
        if self._broken:
            return
        try:
            self._stream.write(data)
            self._stream.flush()
        except (OSError, ValueError):  # a broken pipe, or the stream closed
            self._broken = True
            self._lost()

    def close(self) -> None:
        pass


class _Worker:
    """One daemon thread doing artlint's work (lints, code actions), in
    order, so that the event loop keeps reading and answering meanwhile and
    the work in progress never holds up the exit.  ``submit`` returns an
    asyncio future settled on the loop."""

    def __init__(self, loop: Any) -> None:
        import queue
        import threading

        self._loop = loop
        self._jobs: Any = queue.SimpleQueue()
        threading.Thread(target=self._run, name="artlint-worker", daemon=True).start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        future = self._loop.create_future()
        self._jobs.put((future, fn, args))
        return future

    def _run(self) -> None:
        while True:
            future, fn, args = self._jobs.get()
            result = error = None
            try:
                result = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - settled as the future's exception: the thread goes on
                error = exc
            try:
                self._loop.call_soon_threadsafe(_settle, future, result, error)
            except RuntimeError:  # the loop is closed: the server is exiting
                return


def _settle(future: Any, result: Any, error: BaseException | None) -> None:
    if future.done():  # cancelled: the request was
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _strict_converter() -> Any:
    """pygls's converter, but a number where a number belongs: cattrs would
    take "3" (or 2.5) for the integer 3 and "false" for true."""
    from pygls.protocol import default_converter

    converter = default_converter()

    def integer(value: Any, _: Any) -> int:
        if type(value) is int:
            return value
        if type(value) is float and value.is_integer():
            return int(value)
        raise TypeError(f"expected an integer, got {value!r}")

    def number(value: Any, _: Any) -> float:
        if type(value) in (int, float):
            return float(value)
        raise TypeError(f"expected a number, got {value!r}")

    def string(value: Any, _: Any) -> str:
        if type(value) is str:
            return value
        raise TypeError(f"expected a string, got {value!r}")

    def boolean(value: Any, _: Any) -> bool:
        if type(value) is bool:
            return value
        raise TypeError(f"expected true or false, got {value!r}")

    converter.register_structure_hook(int, integer)
    converter.register_structure_hook(float, number)
    converter.register_structure_hook(str, string)
    converter.register_structure_hook(bool, boolean)
    return converter


# JSON-RPC and LSP error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002


def _parses(uri: str) -> bool:
    from urllib.parse import urlsplit

    try:
        urlsplit(uri)
    except ValueError:
        return False
    return True


def _valid_id(msg_id: Any) -> bool:
    return (type(msg_id) is int) or isinstance(msg_id, str)


def _problem(exc: Exception) -> str:
    """What was wrong with a message's params, in a line."""
    try:
        from cattrs import transform_error

        text = "; ".join(transform_error(exc))
    except Exception:  # noqa: BLE001 - any failure: the message says what it was
        text = f"{type(exc).__name__}: {exc}"
    return text[:500]


def _server_class() -> Any:
    """The pygls server class, made to survive what a client gets wrong."""
    import asyncio

    import attrs
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol, lsp_method
    from pygls.protocol.json_rpc import (
        JsonRPCNotification,
        JsonRPCRequestMessage,
        JsonRPCResponseMessage,
    )

    class Protocol(LanguageServerProtocol):
        """pygls's protocol, with each message checked before it is handled:

        - a body that is not JSON: a ParseError response (id null); JSON that
          is no request, notification or response (an array, a number, a
          wrong ``jsonrpc``, an id that is neither number nor string): an
          InvalidRequest response where a request may have been meant;
        - params of the wrong shape: InvalidParams for a request, the
          notification dropped (logged);
        - before ``initialize``: ServerNotInitialized for a request,
          notifications dropped (but ``exit``); a second ``initialize``:
          InvalidRequest; after ``shutdown``: InvalidRequest for a request;
        - documents are kept by the server (see create_server), not in
          pygls's workspace: its didChange would take a ranged change for
          the whole text under full sync, and fail on a document never opened.
        """

        def __init__(self, server: Any, converter: Any) -> None:
            super().__init__(server, converter)
            self.initialized = False

        # ------------------------------------------------------ receiving
        def receive(self, kind: str, payload: Any) -> None:
            """Handle one event of the Framer.  Never raises."""
            try:
                if kind == "noise":
                    self._warn(f"skipped {payload} bytes that were not part of a message")
                elif kind == "bad-length":
                    self._warn(f"skipped a message with an unusable Content-Length: {payload!r}")
                elif kind == "cut":
                    self._reply_error(None, PARSE_ERROR, f"Parse error: a message ended after {len(payload)} "
                                                         "bytes, before its Content-Length, where another began")
                else:
                    try:
                        data = json.loads(_decode_body(payload))
                    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
                        self._reply_error(None, PARSE_ERROR, f"Parse error: {str(exc)[:200] or type(exc).__name__}")
                        return
                    self.dispatch(data)
            except Exception:  # a bug in artlint: logged, the next message is served
                logger.exception("artlint: handling a message failed")

        def _warn(self, message: str) -> None:
            logger.warning("artlint: %s", message)
            self._server.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Warning,
                                                                 message=f"artlint: {message}"))

        def _reply_error(self, msg_id: Any, code: int, message: str) -> None:
            # A plain dict: lsprotocol's ResponseErrorMessage leaves out an id of null.
            self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})

        def dispatch(self, data: Any) -> None:
            if not isinstance(data, dict):
                what = "a batch (an array), which LSP does not have" if isinstance(data, list) else type(data).__name__
                self._reply_error(None, INVALID_REQUEST, f"Invalid request: a message must be an object, not {what}")
                return
            method = data.get("method")
            msg_id = data.get("id")
            if "method" not in data and ("result" in data or "error" in data):
                # a response to a request of the server's
                if data.get("jsonrpc") != "2.0" or not _valid_id(msg_id):
                    logger.warning("artlint: ignored a malformed response")
                    return
                try:
                    message = self._structure(data)
                except Exception as exc:  # noqa: BLE001 - a malformed response is dropped
                    logger.warning("artlint: ignored a malformed response: %s", _problem(exc))
                    return
                self.handle_message(message)
                return
            request = "id" in data
            if request and not _valid_id(msg_id):
                self._reply_error(None, INVALID_REQUEST, "Invalid request: an id must be a number or a string")
                return
            if "method" not in data:
                self._reply_error(msg_id if request else None, INVALID_REQUEST,
                                  "Invalid request: no method, and no result or error either")
                return
            wrong = None
            if data.get("jsonrpc") != "2.0":
                wrong = 'jsonrpc must be "2.0"'
            elif not isinstance(method, str):
                wrong = "method must be a string"
            elif data.get("params") is not None and not isinstance(data["params"], (dict, list)):
                wrong = "params must be an object or an array"
            if wrong is not None:
                if request:
                    self._reply_error(msg_id, INVALID_REQUEST, f"Invalid request: {wrong}")
                else:
                    logger.warning("artlint: ignored a notification: %s", wrong)
                return
            if not self.initialized and method != lsp.EXIT:
                if not (request and method == lsp.INITIALIZE):
                    if request:
                        self._reply_error(msg_id, SERVER_NOT_INITIALIZED,
                                          f"{method}: the server is not initialized yet")
                    else:
                        logger.warning("artlint: ignored %s before initialize", method)
                    return
            elif request and method == lsp.INITIALIZE:
                self._reply_error(msg_id, INVALID_REQUEST, "Invalid request: the server is initialized already")
                return
            if self._shutdown and method != lsp.EXIT:
                if request:
                    self._reply_error(msg_id, INVALID_REQUEST, f"Invalid request: {method} after shutdown")
                else:
                    logger.warning("artlint: ignored %s after shutdown", method)
                return
            if (method not in self.fm.builtin_features and method not in self.fm.features
                    and method != lsp.CANCEL_REQUEST):
                if request:
                    self._reply_error(msg_id, METHOD_NOT_FOUND, f"Method not found: {method}")
                elif not method.startswith("$/"):  # those may be ignored: LSP says so
                    logger.warning("artlint: ignored the notification %s: no such method", method)
                return
            try:
                message = self._structure(data)
            except Exception as exc:  # noqa: BLE001 - cattrs raises many kinds: all mean bad params
                problem = _problem(exc)
                if request:
                    self._reply_error(msg_id, INVALID_PARAMS, f"Invalid params for {method}: {problem}")
                else:
                    logger.warning("artlint: ignored %s with invalid params: %s", method, problem)
                return
            self.handle_message(message)

        def _structure(self, data: dict) -> Any:
            if "method" in data:
                fallback = JsonRPCRequestMessage if "id" in data else JsonRPCNotification
                kind = self.get_message_type(data["method"]) or fallback
            elif "error" in data:
                kind = lsp.ResponseErrorMessage
            else:
                kind = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
            return self._converter.structure(data, kind)

        # ----------------------------------------- lifecycle and documents
        @lsp_method(lsp.INITIALIZE)
        def lsp_initialize(self, params: lsp.InitializeParams) -> Any:
            # A root that is no URI at all ("file://[x") would fail pygls's
            # workspace, and with it the whole initialize: it is left out.
            changes: dict[str, Any] = {}
            if params.root_uri is not None and not _parses(params.root_uri):
                changes["root_uri"] = None
            if params.workspace_folders and not all(_parses(f.uri) for f in params.workspace_folders):
                changes["workspace_folders"] = [f for f in params.workspace_folders if _parses(f.uri)]
            if changes:
                logger.warning("artlint: ignored workspace roots that are not URIs")
                params = attrs.evolve(params, **changes)
            result = yield from super().lsp_initialize(params)
            self.initialized = True
            return result

        @lsp_method(lsp.EXIT)
        def lsp_exit(self, *args: Any) -> None:
            self._server.stop(0 if self._shutdown else 1)

        def _user(self, method: str, params: Any) -> Any:
            handler = self.fm.features.get(method)
            if handler is not None:
                yield handler, (params,), None

        @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
        def lsp_text_document__did_open(self, params: Any) -> Any:
            yield from self._user(lsp.TEXT_DOCUMENT_DID_OPEN, params)

        @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
        def lsp_text_document__did_change(self, params: Any) -> Any:
            yield from self._user(lsp.TEXT_DOCUMENT_DID_CHANGE, params)

        @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
        def lsp_text_document__did_close(self, params: Any) -> Any:
            yield from self._user(lsp.TEXT_DOCUMENT_DID_CLOSE, params)

    class Server(LanguageServer):
        """pygls's server on artlint's transport (Framer): stdio read by a
        daemon thread, so that ``exit`` ends the process even while the
        client keeps its end of the pipe open; ``start_io`` and
        ``start_tcp`` return the exit status: 0 after ``shutdown``, else 1
        (``exit`` without ``shutdown``, or the client gone)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, protocol_cls=Protocol, converter_factory=_strict_converter, **kwargs)
            self.exit_status: int | None = None
            self._wake: Callable[[], None] | None = None

        def stop(self, status: int) -> None:
            if self.exit_status is None:
                self.exit_status = status
            if self._wake is not None:
                self._wake()

        def _lost(self) -> None:
            logger.warning("artlint: the client stopped reading; exiting")
            self.stop(0 if self.protocol._shutdown else 1)

        async def _serve(self, read: Callable[[], Any]) -> int:
            framer = Framer()
            while self.exit_status is None:
                data = await read()
                if not data:
                    break
                for kind, payload in framer.feed(data):
                    self.protocol.receive(kind, payload)
                    if self.exit_status is not None:
                        break
            if self.exit_status is None:  # the client went away without exit
                self.exit_status = 0 if self.protocol._shutdown else 1
            return self.exit_status

        def start_io(self, stdin: Any = None, stdout: Any = None) -> int:
            import threading

            stdin = stdin or sys.stdin.buffer
            stdout = stdout or sys.stdout.buffer

            async def main() -> int:
                loop = asyncio.get_running_loop()
                chunks: asyncio.Queue[bytes] = asyncio.Queue()

                def pump() -> None:
                    try:
                        fd = stdin.fileno()
                    except (AttributeError, OSError, ValueError):
                        fd = None
                    while True:
                        try:
                            data = os.read(fd, 65536) if fd is not None else stdin.read1(65536)
                        except (OSError, ValueError):
                            data = b""
                        try:
                            loop.call_soon_threadsafe(chunks.put_nowait, data)
                        except RuntimeError:  # the loop is closed: the server has ended
                            return
                        if not data:
                            return

                threading.Thread(target=pump, name="artlint-stdin", daemon=True).start()
                self._wake = lambda: chunks.put_nowait(b"")
                self.protocol.set_writer(_PipeWriter(stdout, self._lost))
                return await self._serve(chunks.get)

            return self._run(main)

        def _run(self, main: Callable[[], Any]) -> int:
            """Run the event loop until the client is done; the exit status."""
            try:
                asyncio.run(main())
            except KeyboardInterrupt:
                self.stop(1)
            finally:
                self.shutdown()
            return self.exit_status if self.exit_status is not None else 1

        def start_tcp(self, host: str, port: int) -> int:
            """Serve one client on ``host:port``; a second one connecting
            meanwhile is turned away."""

            async def main() -> None:
                ended = asyncio.get_running_loop().create_future()
                busy = False

                async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                    nonlocal busy
                    if busy or ended.done():
                        writer.close()
                        return
                    busy = True
                    self._wake = lambda: reader.feed_eof()
                    self.protocol.set_writer(writer)
                    try:
                        await self._serve(lambda: reader.read(65536))
                    finally:
                        writer.close()
                        if not ended.done():
                            ended.set_result(None)

                tcp = await asyncio.start_server(connection, host, port)
                async with tcp:
                    await ended

            return self._run(main)

    return Server


def create_server() -> Any:
    """Build the pygls server with artlint's features registered.

    Documents live in ``docs`` (OpenDocument), changed only on the event
    loop; artlint's work runs on one worker thread (_Worker).  A lint is
    published only if the document has not changed since (its ``seq``), so
    no diagnostics of an older text come after those of a newer one; while
    a document is being linted, further requests to lint it are merged into
    one lint after it, so a client changing and saving faster than artlint
    lints never makes work pile up."""
    import asyncio
    import itertools

    from lsprotocol import types as lsp
    from pygls.capabilities import get_capability

    server = _server_class()("artlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
    linter = Linter()
    docs: dict[str, OpenDocument] = {}  # by the URI as the client sent it
    seqs = itertools.count(1)
    pending: dict[str, asyncio.TimerHandle] = {}
    linting: set[str] = set()  # URIs with a lint in the worker
    again: set[str] = set()  # ... and another one asked for meanwhile
    logged: dict[str, str | None] = {}  # uri -> the config problem last logged
    worker: list[_Worker] = []

    def work(fn: Callable[..., Any], *args: Any) -> Any:
        if not worker:
            worker.append(_Worker(asyncio.get_running_loop()))
        return worker[0].submit(fn, *args)

    def encoding() -> str:
        enc = server.workspace.position_encoding
        return str(getattr(enc, "value", enc) or "utf-16")

    def analyze(doc: OpenDocument) -> Analysis:  # on the worker
        return linter.analyze(doc.uri, doc.text, doc.version, _fs_path(doc.uri), doc.language_id, encoding())

    def lint_to_publish(doc: OpenDocument) -> tuple[Analysis, list[Any]] | None:  # on the worker
        current = docs.get(doc.uri)
        if current is None or current.seq != doc.seq:
            return None  # changed or closed since: a newer lint follows, if any
        a = analyze(doc)
        return a, lsp_diagnostics(a)

    def lint(uri: str) -> None:
        pending.pop(uri, None)
        doc = docs.get(uri)
        if doc is None:
            return
        if uri in linting:
            again.add(uri)
            return
        linting.add(uri)
        work(lint_to_publish, doc).add_done_callback(lambda f: linted(doc, f))

    def linted(doc: OpenDocument, future: Any) -> None:
        uri = doc.uri
        linting.discard(uri)
        if future.cancelled():
            pass
        elif future.exception() is not None:  # a bug: Linter.analyze does not raise
            logger.error("artlint: checking %s failed", uri, exc_info=future.exception())
        elif future.result() is not None and (current := docs.get(uri)) is not None and current.seq == doc.seq:
            a, diagnostics = future.result()
            if a.problem is not None and logged.get(uri) != a.problem:
                server.window_log_message(lsp.LogMessageParams(
                    type=lsp.MessageType.Error, message=f"artlint: {a.problem}"))
            logged[uri] = a.problem
            server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=a.version))
        if uri in again:
            again.discard(uri)
            lint(uri)

    def schedule(uri: str, delay: float) -> None:
        handle = pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        if delay <= 0:
            lint(uri)
        else:
            pending[uri] = asyncio.get_running_loop().call_later(delay, lint, uri)

    def roots() -> list[Path]:
        found = []
        for folder in list(server.workspace.folders.values()):
            p = _fs_path(folder.uri)
            if p:
                found.append(Path(os.path.abspath(p)))
        root_path = server.workspace.root_path
        if not found and root_path and "\x00" not in root_path:
            found.append(Path(os.path.abspath(root_path)))
        return found

    def set_roots(found: list[Path]) -> None:  # on the worker
        linter.roots = found
        linter.invalidate()

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: Any, params: lsp.InitializedParams) -> None:
        work(set_roots, roots())
        if get_capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="artlint-config-files",
                method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: Any, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        docs[item.uri] = OpenDocument(item.uri, item.text, item.version, item.language_id, next(seqs))
        schedule(item.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: Any, params: lsp.DidChangeTextDocumentParams) -> None:
        uri, version = params.text_document.uri, params.text_document.version
        doc = docs.get(uri)
        if doc is None:
            logger.warning("artlint: ignored a change of %s, which is not open", uri)
            return
        if version < doc.version:
            logger.warning("artlint: ignored a change of %s to version %s, older than its version %s",
                           uri, version, doc.version)
            return
        changes = []
        for change in params.content_changes:
            r = getattr(change, "range", None)
            changes.append((None if r is None else ((r.start.line, r.start.character), (r.end.line, r.end.character)),
                            change.text))
        text = apply_changes(doc.text, changes, encoding())
        docs[uri] = OpenDocument(uri, text, version, doc.language_id, next(seqs))
        schedule(uri, DEBOUNCE_SECONDS)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: Any, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in docs:
            schedule(uri, 0)
        else:
            logger.warning("artlint: ignored the save of %s, which is not open", uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: Any, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        handle = pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        again.discard(uri)
        logged.pop(uri, None)
        if docs.pop(uri, None) is None:
            logger.warning("artlint: ignored the close of %s, which is not open", uri)
            return
        work(linter.forget, uri)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: Any, params: lsp.DidChangeWatchedFilesParams) -> None:
        work(linter.invalidate)
        for uri in sorted(docs):
            schedule(uri, 0)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_folders(ls: Any, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        work(set_roots, roots())

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(ls: Any, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        doc = docs.get(params.text_document.uri)
        if doc is None:
            return None
        start, end = sorted([(params.range.start.line, params.range.start.character),
                             (params.range.end.line, params.range.end.character)])
        only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
        document_changes = bool(get_capability(ls.client_capabilities,
                                               "workspace.workspace_edit.document_changes", False))

        def actions() -> list[Any] | None:  # on the worker
            return code_actions(analyze(doc), start, end, only, _Edits(document_changes)) or None

        return await work(actions)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: Any, params: lsp.HoverParams) -> lsp.Hover | None:
        doc = docs.get(params.text_document.uri)
        if doc is None:
            return None
        a = await work(analyze, doc)
        text = hover_text(a, (params.position.line, params.position.character))
        if text is None:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))

    return server


# ------------------------------------------------------------------ main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="artlint server",
        description="Run the artlint language server (LSP) on standard input and output, or on TCP.",
    )
    parser.add_argument("--stdio", action="store_true", help="talk over standard input/output (the default)")
    parser.add_argument("--tcp", nargs=2, metavar=("HOST", "PORT"), help="listen on a TCP port instead")
    parser.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="warning",
                        help="what is logged to standard error or --log-file (default: warning)")
    parser.add_argument("--log-file", metavar="PATH", help="log to this file instead of standard error")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    port = 0
    if args.tcp:
        try:
            port = int(args.tcp[1])
        except ValueError:
            print(f"artlint: error: --tcp: '{args.tcp[1]}' is not a port number", file=sys.stderr)
            return 2
    try:
        server = create_server()
    except ImportError as exc:
        print(f"artlint: error: the language server needs pygls ({exc}); "
              "install it with: pip install 'artlint[lsp]'", file=sys.stderr)
        return 2
    handler: logging.Handler = (logging.FileHandler(args.log_file, encoding="utf-8", errors="backslashreplace")
                                if args.log_file else logging.StreamHandler(sys.stderr))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(getattr(logging, args.log_level.upper()))
    if args.tcp:
        return server.start_tcp(args.tcp[0], port)
    return server.start_io()


if __name__ == "__main__":
    sys.exit(main())
