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


WRITERS = {
    "full": write_full,
    "concise": write_concise,
    "json": write_json,
}
