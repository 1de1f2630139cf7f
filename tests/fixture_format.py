"""The fixture format: cases separated by header lines, expectations next to
each case (pycodestyle's ``#:`` convention).

    #: 1:12 WS003 -- what the case shows
    The council  met on Monday.

    #: ok -- a clean case
    The council met on Monday.

A case is the text between its header and the next header, less the one blank
line that separates it from the next header. Each case is linted on its own,
as a whole article, with only the fixture's rule selected. Positions are
1-based (line, column) within the case. ``<CODE>.fixed.<ext>`` holds the same
cases, fixed with safe fixes; ``<CODE>.unsafe.<ext>``, when present, the cases
fixed with unsafe fixes too. Header lines of those files are not read.

A first line ``#! select: XX002 WS003`` selects more rules than the
fixture's own (a suppression is only judged when its rule runs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HEADER_RE = re.compile(r"^#:(.*)$")
EXPECT_RE = re.compile(r"^(\d+):(\d+)\s+([A-Z]{2,6}\d{3})$")


@dataclass
class Case:
    header_line: int  # 1-based line of the header in the fixture file
    text: str
    expected: list[tuple[int, int, str]]
    description: str


def parse_cases(path: Path, expectations: bool = True) -> list[Case]:
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    current: tuple[int, list[tuple[int, int, str]], str] | None = None
    body: list[str] = []

    def close(has_next: bool) -> None:
        if current is None:
            return
        lines_ = list(body)
        if has_next:
            if lines_ and lines_[-1] == "":
                lines_.pop()  # the blank line that separates cases
            text = "\n".join(lines_) + "\n" if lines_ else ""
        else:
            text = "\n".join(lines_)  # the file's final newline ends the case
        cases.append(Case(current[0], text, current[1], current[2]))

    for i, line in enumerate(lines, 1):
        m = HEADER_RE.match(line)
        if m:
            close(True)
            spec, _, description = m.group(1).partition("--")
            expected = []
            spec = spec.strip()
            if expectations and spec != "ok":
                for item in re.split(r"\s*,\s*|\s{2,}", spec):
                    em = EXPECT_RE.match(item.strip())
                    if not em:
                        raise ValueError(f"{path}:{i}: bad expectation {item!r} (want 'LINE:COL CODE' or 'ok')")
                    expected.append((int(em.group(1)), int(em.group(2)), em.group(3)))
            current = (i, expected, description.strip())
            body = []
        elif current is None and line.startswith("#! select:"):
            continue
        elif current is None:
            if line.strip():
                raise ValueError(f"{path}:{i}: text before the first '#:' header")
        else:
            body.append(line)
    close(False)
    return cases


def fixture_files(fixtures: Path, code: str) -> tuple[Path | None, Path | None, Path | None]:
    """(source, fixed, unsafe) fixture paths of a rule, or None."""
    for ext in ("md", "txt"):
        src = fixtures / f"{code}.{ext}"
        if src.exists():
            fixed = fixtures / f"{code}.fixed.{ext}"
            unsafe = fixtures / f"{code}.unsafe.{ext}"
            return src, fixed if fixed.exists() else None, unsafe if unsafe.exists() else None
    return None, None, None


def fixture_select(path: Path, code: str) -> list[str]:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    if first.startswith("#! select:"):
        return first.split(":", 1)[1].replace(",", " ").split()
    return [code]
