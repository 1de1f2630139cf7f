"""Whole-article fixtures: ``<name>.txt|.md`` beside ``<name>.expected``
(one ``LINE:COL CODE`` per line, ``#`` comments allowed) and
``<name>.fixed.<ext>`` (the exact fixed text)."""

from __future__ import annotations

import re
from pathlib import Path


def articles(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.*")
                  if p.suffix in (".txt", ".md") and ".fixed." not in p.name)


def expected(path: Path) -> list[tuple[int, int, str]]:
    out = []
    for raw in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"(\d+):(\d+)\s+([A-Z]{2}\d{3})", line)
        assert m, f"{path.name}.expected: bad line {raw!r}"
        out.append((int(m.group(1)), int(m.group(2)), m.group(3)))
    return out


def fixed_path(path: Path) -> Path:
    return path.with_name(path.stem + ".fixed" + path.suffix)


def assert_fixed(path: Path, families: list[str], unsafe: bool = False) -> None:
    """Fixing the article gives its .fixed text exactly, and fixing that
    changes nothing more."""
    from conftest import fix

    text = path.read_text(encoding="utf-8")
    got = fix(text, path=path.name, select=families, unsafe=unsafe)
    assert got == fixed_path(path).read_text(encoding="utf-8")
    assert fix(got, path=path.name, select=families, unsafe=unsafe) == got
