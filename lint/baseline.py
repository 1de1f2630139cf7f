"""Baselines: accept the findings a repository already has, fail on new ones.

A baseline is a JSON file listing, per finding, the file (relative to the
baseline's folder), the rule and a hash of the text of the line it is on,
with a count. A finding is left out of a report while its key has a count
left in the baseline, so edits elsewhere in a file (lines added above it)
do not bring old findings back, and a new finding on another line is
reported.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from .document import Document
from .files import atomic_write
from .output import finding_key
from .runner import FileResult

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or written: one line."""


def _relative(path: str, folder: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()


def _keys(results: list[FileResult], folder: Path) -> Counter:
    keys: Counter = Counter()
    for res in results:
        if not res.diagnostics:
            continue
        pos = Document(None, res.text)
        name = _relative(res.path, folder)
        for d in res.diagnostics:
            keys[(name, d.code, finding_key(name, d, pos))] += 1
    return keys


def write_baseline(path: Path, results: list[FileResult]) -> int:
    """Write the findings of ``results`` as the baseline at ``path``; the
    number of findings written."""
    from . import __version__

    keys = _keys(results, path.parent)
    data = {
        "artlint-baseline": VERSION,
        "artlint-version": __version__,
        "findings": [
            {"path": name, "code": code, "key": key, "count": count}
            for (name, code, key), count in sorted(keys.items())
        ],
    }
    try:
        atomic_write(path, (json.dumps(data, indent=2) + "\n").encode())
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return sum(keys.values())


def read_baseline(path: Path) -> Counter:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("artlint-baseline") != VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path} is not an artlint baseline (version {VERSION})")
    keys: Counter = Counter()
    for item in data["findings"]:
        try:
            keys[(str(item["path"]), str(item["code"]), str(item["key"]))] += int(item["count"])
        except (KeyError, TypeError, ValueError):
            raise BaselineError(f"{path}: a finding without path, code, key and count: {item!r}") from None
    return keys


class Baseline:
    """A baseline read from ``path``, consumed as findings are matched."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.left = read_baseline(path)
        self.dropped = 0

    def filter(self, res: FileResult, only=None) -> None:
        """Drop from ``res`` the findings the baseline accepts (of those
        whose ``id`` is in ``only``, when given)."""
        if not res.diagnostics:
            return
        pos = Document(None, res.text)
        name = _relative(res.path, self.path.parent)
        kept = []
        for d in res.diagnostics:
            key = (name, d.code, finding_key(name, d, pos))
            if (only is None or id(d) in only) and self.left[key] > 0:
                self.left[key] -= 1
                self.dropped += 1
            else:
                kept.append(d)
        res.diagnostics = kept
