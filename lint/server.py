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
  command line; an error inside artlint is ``XX006`` and a log message,
  never a crash.

Positions: artlint works on ``str`` offsets into the LF-normalised text.
They are mapped to offsets into the editor's text (CRLF kept) and from there
to LSP positions, whose lines end at ``\\n``, ``\\r\\n`` or ``\\r`` and whose
columns count code units of the negotiated encoding (UTF-16 unless the client
offers UTF-8 or UTF-32).  Documents are synchronised in full, so the server's
copy is exactly the editor's text.
"""

from __future__ import annotations

import argparse
import dataclasses
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
_SAME_LINE_RE = re.compile(r"<!--\s*artlint-disable-line\b(?P<codes>(?:(?!-->).)*?)\s*-->[ \t]*$")
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
            narrowed = dataclasses.replace(self.settings, enabled={
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


def create_server() -> Any:
    """Build the pygls server with artlint's features registered."""
    import asyncio

    from lsprotocol import types as lsp
    from pygls.capabilities import get_capability
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("artlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
    linter = Linter()
    pending: dict[str, asyncio.TimerHandle] = {}
    open_uris: set[str] = set()  # as the client sent them
    logged: dict[str, str | None] = {}  # uri -> the config problem last logged

    def encoding() -> str:
        enc = server.workspace.position_encoding
        return str(getattr(enc, "value", enc) or "utf-16")

    def analysis(uri: str) -> Analysis | None:
        try:
            document = server.workspace.get_text_document(uri)
            raw = document.source
        except Exception:
            logger.exception("artlint: no text for %s", uri)
            return None
        from pygls.uris import to_fs_path

        return linter.analyze(uri, raw, document.version, to_fs_path(uri), document.language_id, encoding())

    def publish(uri: str) -> None:
        pending.pop(uri, None)
        if uri not in open_uris:
            return
        a = analysis(uri)
        if a is None:
            return
        if a.problem is not None and logged.get(uri) != a.problem:
            server.window_log_message(lsp.LogMessageParams(
                type=lsp.MessageType.Error, message=f"artlint: {a.problem}"))
        logged[uri] = a.problem
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=uri, diagnostics=lsp_diagnostics(a), version=a.version))

    def schedule(uri: str, delay: float) -> None:
        handle = pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        if delay <= 0:
            publish(uri)
        else:
            pending[uri] = asyncio.get_running_loop().call_later(delay, publish, uri)

    def roots() -> list[Path]:
        from pygls.uris import to_fs_path

        found = []
        for folder in list(server.workspace.folders.values()):
            p = to_fs_path(folder.uri)
            if p:
                found.append(Path(os.path.abspath(p)))
        if not found and server.workspace.root_path:
            found.append(Path(os.path.abspath(server.workspace.root_path)))
        return found

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: LanguageServer, params: lsp.InitializedParams) -> None:
        linter.roots = roots()
        if get_capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            ls.client_register_capability(lsp.RegistrationParams(registrations=[lsp.Registration(
                id="artlint-config-files",
                method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        open_uris.add(uri)
        schedule(uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: lsp.DidChangeTextDocumentParams) -> None:
        schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: lsp.DidSaveTextDocumentParams) -> None:
        schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        handle = pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        open_uris.discard(uri)
        logged.pop(uri, None)
        linter.forget(uri)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: LanguageServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        linter.invalidate()
        for uri in sorted(open_uris):
            schedule(uri, 0)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_folders(ls: LanguageServer, params: lsp.DidChangeWorkspaceFoldersParams) -> None:
        linter.roots = roots()
        linter.invalidate()

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: LanguageServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        a = analysis(params.text_document.uri)
        if a is None:
            return None
        start = (params.range.start.line, params.range.start.character)
        end = (params.range.end.line, params.range.end.character)
        only = [str(getattr(k, "value", k)) for k in params.context.only] if params.context.only else None
        document_changes = bool(get_capability(ls.client_capabilities,
                                               "workspace.workspace_edit.document_changes", False))
        return code_actions(a, start, end, only, _Edits(document_changes)) or None

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: LanguageServer, params: lsp.HoverParams) -> lsp.Hover | None:
        a = analysis(params.text_document.uri)
        if a is None:
            return None
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
    handler: logging.Handler = (logging.FileHandler(args.log_file, encoding="utf-8") if args.log_file
                                else logging.StreamHandler(sys.stderr))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(getattr(logging, args.log_level.upper()))
    if args.tcp:
        server.start_tcp(args.tcp[0], port)
    else:
        server.start_io()
    return 0


if __name__ == "__main__":
    sys.exit(main())
