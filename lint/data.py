"""Rule data files (YAML beside the rule modules), loaded once per process.

Importing a YAML parser costs more than a pre-commit run of a small article
spends on linting it, so the parsed data is kept the way Python keeps
bytecode: as JSON in the ``__pycache__`` folder beside the YAML, stamped
with the YAML file's size and modification time and used only while they
match. The cache is written when it can be (never when
``sys.dont_write_bytecode`` is set) and ignored when it cannot be read.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

_FORMAT = 1


def _rules_folder() -> Path:
    # The rules package's own folder (importlib.resources costs a few
    # milliseconds of imports at every start-up; the data is plain files).
    if "artlint.rules" not in sys.modules:
        import artlint.rules  # noqa: F401
    return Path(sys.modules["artlint.rules"].__file__).parent


def cache_path(path: Path) -> Path:
    """Where the parsed form of the data file ``path`` is kept."""
    return path.parent / "__pycache__" / f"{path.name}.json"


@cache
def load_data(family: str) -> dict[str, Any]:
    """The YAML data of a rule family (``ws`` -> ``artlint/rules/ws.yaml``)."""
    path = _rules_folder() / f"{family}.yaml"
    with open(path, "rb") as f:
        stat = os.fstat(f.fileno())
        stamp = [_FORMAT, stat.st_size, stat.st_mtime_ns]
        cached = _read_cache(cache_path(path), stamp)
        if cached is not None:
            return cached
        raw = f.read()
    import yaml

    data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    if not sys.dont_write_bytecode:
        _write_cache(cache_path(path), stamp, data)
    return data


def _read_cache(path: Path, stamp: list[int]) -> dict[str, Any] | None:
    import json

    try:
        with open(path, encoding="utf-8") as f:
            cached = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("stamp") != stamp or not isinstance(cached.get("data"), dict):
        return None
    return cached["data"]


def _write_cache(path: Path, stamp: list[int], data: dict[str, Any]) -> None:
    """Best effort, atomic (files.atomic_write): a reader sees the old file,
    the new one or none."""
    import json

    try:
        text = json.dumps({"stamp": stamp, "data": data}, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # a value JSON cannot hold (a date): parse the YAML each time
    if json.loads(text)["data"] != data:
        return  # JSON would change it (keys that are not strings)
    from artlint.files import atomic_write

    try:
        path.parent.mkdir(exist_ok=True)
        atomic_write(path, text.encode("utf-8"))
    except OSError:
        pass  # a read-only install: parse the YAML each time
