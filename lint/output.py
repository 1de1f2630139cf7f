"""Reporters: turn file results into text for people and machines."""

from __future__ import annotations

import os
from collections import Counter
from typing import IO
from collections.abc import Iterable

from .document import Document
from .runner import FileResult
from .types import Applicability, Diagnostic, Severity

SOURCE_WINDOW = 100  # characters of a long source line shown around the column


def use_color(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


class _Style:
    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on else text

    def bold(self, t: str) -> str:
        return self(t, "1")

    def red(self, t: str) -> str:
        return self(t, "1;31")

    def yellow(self, t: str) -> str:
        return self(t, "1;33")

    def cyan(self, t: str) -> str:
        return self(t, "36")

    def blue(self, t: str) -> str:
        return self(t, "1;34")

    def dim(self, t: str) -> str:
        return self(t, "2")


def _severity_style(style: _Style, severity: Severity, text: str) -> str:
    return {Severity.ERROR: style.red, Severity.WARNING: style.yellow, Severity.INFO: style.cyan}[severity](text)


def fix_marker(d: Diagnostic) -> str:
    if d.fix is None:
        return ""
    if d.fix.applicability == Applicability.SAFE:
        return "[*] "
    if d.fix.applicability == Applicability.UNSAFE:
        return "[-] "
    return ""


def write_full(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    style = _Style(color)
    for res in results:
        if not res.diagnostics:
            continue
        pos = Document(None, res.text)
        for d in res.diagnostics:
            line, col = pos.position(d.span.start)
            end_line, end_col = pos.position(d.span.end)
            head = (f"{style.bold(res.path)}{style.cyan(':')}{line}{style.cyan(':')}{col}{style.cyan(':')} "
                    f"{_severity_style(style, d.severity, d.code)} {fix_marker(d)}{d.message}")
            out.write(head + "\n")
            if res.text:
                source = pos.line_text(line)
                width = end_col - col if end_line == line else max(1, len(source) - col + 1)
                width = max(1, width)
                shown, caret_at = _window(source, col - 1)
                number = str(line)
                pad = " " * len(number)
                out.write(f"{pad} {style.blue('|')}\n")
                out.write(f"{style.blue(number)} {style.blue('|')} {_visible(shown)}\n")
                caret = " " * caret_at + "^" * min(width, max(1, len(shown) - caret_at))
                out.write(f"{pad} {style.blue('|')} {_severity_style(style, d.severity, caret)}\n")
                out.write(f"{pad} {style.blue('|')}\n")
            if d.fix is not None:
                label = {"safe": "help", "unsafe": "help (unsafe)", "display-only": "suggestion"}[d.fix.applicability.value]
                out.write(f"  = {style.bold(label)}: {d.fix.title}\n")
            out.write("\n")


def _window(source: str, col0: int) -> tuple[str, int]:
    """A slice of a long line around ``col0`` and the caret position in it."""
    if len(source) <= SOURCE_WINDOW:
        return source, col0
    start = max(0, col0 - SOURCE_WINDOW // 2)
    end = min(len(source), start + SOURCE_WINDOW)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(source) else ""
    return prefix + source[start:end] + suffix, col0 - start + len(prefix)


_INVISIBLE_SHOW = {"\t": "→", "\u00a0": "⍽", "\u200b": "␣", "\ufeff": "␣", "\u00ad": "-", "\u2060": "␣"}


def _visible(s: str) -> str:
    """Make the characters WS rules report visible in the source excerpt."""
    if not any(c in _INVISIBLE_SHOW for c in s):
        return s
    return "".join(_INVISIBLE_SHOW.get(c, c) for c in s)


def write_concise(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    style = _Style(color)
    for res in results:
        if not res.diagnostics:
            continue
        pos = Document(None, res.text)
        for d in res.diagnostics:
            line, col = pos.position(d.span.start)
            out.write(f"{style.bold(res.path)}:{line}:{col}: {_severity_style(style, d.severity, d.code)} "
                      f"{fix_marker(d)}{d.message}\n")


def diagnostic_json(res: FileResult, d: Diagnostic, pos: Document) -> dict:
    line, col = pos.position(d.span.start)
    end_line, end_col = pos.position(d.span.end)
    fix = None
    if d.fix is not None:
        edits = []
        for e in d.fix.edits:
            el, ec = pos.position(e.span.start)
            eel, eec = pos.position(e.span.end)
            edits.append({
                "content": e.text,
                "location": {"row": el, "column": ec},
                "end_location": {"row": eel, "column": eec},
            })
        fix = {"applicability": d.fix.applicability.value, "message": d.fix.title, "edits": edits}
    return {
        "filename": res.path,
        "code": d.code,
        "message": d.message,
        "severity": d.severity.value,
        "location": {"row": line, "column": col},
        "end_location": {"row": end_line, "column": end_col},
        "fix": fix,
        # artlint has no published documentation site yet: `artlint rule
        # CODE` prints the docs. The key is kept (ruff's shape) as null.
        "url": None,
    }


def write_json(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    import json

    items = []
    for res in results:
        if not res.diagnostics:
            continue
        pos = Document(None, res.text)
        items.extend(diagnostic_json(res, d, pos) for d in res.diagnostics)
    json.dump(items, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_statistics(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    counts: Counter = Counter()
    names: dict[str, str] = {}
    fixable: dict[str, bool] = {}
    for res in results:
        for d in res.diagnostics:
            counts[d.code] += 1
            names[d.code] = d.name
            fixable[d.code] = fixable.get(d.code, False) or (
                d.fix is not None and d.fix.applicability == Applicability.SAFE
            )
    if not counts:
        return
    width = max(len(str(c)) for c in counts.values())
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        marker = "[*]" if fixable[code] else "[ ]"
        out.write(f"{n:>{width}}\t{code}\t{marker} {names[code]}\n")


# ------------------------------------------------------------ CI formats
def finding_key(path: str, d: Diagnostic, pos: Document) -> str:
    """What identifies a finding across edits elsewhere in its file: the
    file, the rule and the text of the line it is on (not its line number).
    Findings with the same key are told apart by their order (see
    ``fingerprints``)."""
    import hashlib

    line, _ = pos.position(d.span.start)
    content = " ".join(pos.line_text(line).split())
    return hashlib.sha256(f"{path}\0{d.code}\0{content}".encode()).hexdigest()[:32]


def fingerprints(res: FileResult, pos: Document) -> list[str]:
    """A stable fingerprint per finding of ``res``, in order: its key and
    its occurrence among findings with the same key."""
    seen: Counter = Counter()
    out = []
    for d in res.diagnostics:
        key = finding_key(res.path, d, pos)
        out.append(f"{key}:{seen[key]}")
        seen[key] += 1
    return out


def _registry_of(results: list[FileResult]):
    if results:
        return results[0].settings.registry
    from .registry import load_builtin_rules

    return load_builtin_rules()


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif_region(pos: Document, start: int, end: int) -> dict:
    line, col = pos.position(start)
    end_line, end_col = pos.position(end)
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def write_sarif(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    """SARIF 2.1.0, as GitHub code scanning reads it: one run, the rules
    that have results with their documentation, results with fixes and a
    partial fingerprint. Columns count Unicode code points."""
    import json

    from . import __version__

    results = list(results)
    registry = _registry_of(results)
    used = sorted({d.code for r in results for d in r.diagnostics})
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        meta = registry.rules.get(code)
        if meta is None:
            rules.append({"id": code})
            continue
        what = (meta.section("What it does") or meta.summary).strip()
        rules.append({
            "id": code,
            "name": meta.name,
            "shortDescription": {"text": meta.summary},
            "fullDescription": {"text": " ".join(what.split())},
            "help": {"text": meta.doc.strip(), "markdown": meta.doc.strip()},
            "defaultConfiguration": {"level": _SARIF_LEVEL[meta.severity]},
            "properties": {"tags": [meta.family], "fixable": meta.fixable},
        })
    items = []
    for res in results:
        if not res.diagnostics:
            continue
        pos = Document(None, res.text)
        location = {"uri": res.path.replace(os.sep, "/"), "uriBaseId": "%SRCROOT%"}
        for d, fp in zip(res.diagnostics, fingerprints(res, pos)):
            item: dict = {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": location,
                    "region": _sarif_region(pos, d.span.start, d.span.end),
                }}],
                "partialFingerprints": {"artlintFinding/v1": fp},
            }
            if d.fix is not None and d.fix.edits:
                item["fixes"] = [{
                    "description": {"text": f"{d.fix.title} ({d.fix.applicability.value})"},
                    "artifactChanges": [{
                        "artifactLocation": location,
                        "replacements": [{
                            "deletedRegion": _sarif_region(pos, e.span.start, e.span.end),
                            **({"insertedContent": {"text": e.text}} if e.text else {}),
                        } for e in d.fix.edits],
                    }],
                }]
            items.append(item)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "artlint", "version": __version__, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": items,
        }],
    }
    json.dump(log, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _located(results: Iterable[FileResult], fingerprinted: bool = False):
    """(result, its position index, finding, its fingerprint (None unless
    asked for), line, column, end line, end column) for every finding, file
    by file."""
    for res in results:
        if not res.diagnostics:
            continue
        pos = Document(None, res.text)
        prints = fingerprints(res, pos) if fingerprinted else [None] * len(res.diagnostics)
        for d, fp in zip(res.diagnostics, prints):
            yield (res, pos, d, fp, *pos.position(d.span.start), *pos.position(d.span.end))


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def write_github(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    """GitHub Actions workflow commands: an annotation per finding."""
    for res, _, d, _, line, col, end_line, end_col in _located(results):
        props = (f"file={_gh_escape(res.path, True)},line={line},col={col},"
                 f"endLine={end_line},endColumn={end_col},title={_gh_escape(d.code, True)}")
        out.write(f"::{_GH_LEVEL[d.severity]} {props}::{_gh_escape(d.message)}\n")


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def write_gitlab(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    """GitLab Code Quality: a JSON array of issues with stable fingerprints."""
    import json

    items = [{
        "type": "issue",
        "check_name": d.code,
        "description": f"{d.code} {d.message}",
        "categories": ["Style"],
        "severity": _GITLAB_SEVERITY[d.severity],
        "fingerprint": fp.replace(":", "-"),
        "location": {
            "path": res.path,
            "positions": {"begin": {"line": line, "column": col}, "end": {"line": end_line, "column": end_col}},
        },
    } for res, _, d, fp, line, col, end_line, end_col in _located(results, fingerprinted=True)]
    json.dump(items, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_junit(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    """JUnit XML: a test suite per file, a failing test case per finding,
    one passing case for a file without findings."""
    from xml.sax.saxutils import escape, quoteattr

    results = list(results)
    total = sum(max(1, len(r.diagnostics)) for r in results)
    failures = sum(len(r.diagnostics) for r in results)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<testsuites name="artlint" tests="{total}" failures="{failures}" errors="0">\n')
    for res in results:
        n = len(res.diagnostics)
        out.write(f'  <testsuite name={quoteattr(res.path)} tests="{max(1, n)}" failures="{n}" errors="0">\n')
        if not n:
            out.write(f'    <testcase name="artlint" classname={quoteattr(res.path)}/>\n')
        pos = Document(None, res.text)
        for d in res.diagnostics:
            line, col = pos.position(d.span.start)
            name = f"{d.code} at {line}:{col}"
            out.write(f"    <testcase name={quoteattr(name)} classname={quoteattr(res.path)}>\n")
            out.write(f"      <failure message={quoteattr(d.message)} type={quoteattr(d.code)}>"
                      f"{escape(f'{res.path}:{line}:{col}: {d.code} {d.message}')}</failure>\n")
            out.write("    </testcase>\n")
        out.write("  </testsuite>\n")
    out.write("</testsuites>\n")


def write_json_lines(results: Iterable[FileResult], out: IO[str], color: bool) -> None:
    """One JSON object per finding and line (the keys of ``json``), written
    and flushed file by file."""
    import json

    for res in results:
        if not res.diagnostics:
            continue
        pos = Document(None, res.text)
        for d in res.diagnostics:
            out.write(json.dumps(diagnostic_json(res, d, pos), ensure_ascii=False) + "\n")
        out.flush()


WRITERS = {
    "full": write_full,
    "concise": write_concise,
    "json": write_json,
    "json-lines": write_json_lines,
    "sarif": write_sarif,
    "github": write_github,
    "gitlab": write_gitlab,
    "junit": write_junit,
}
