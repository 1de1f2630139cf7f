"""Rule data files (YAML beside the rule modules), loaded once per process."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any


@cache
def load_data(family: str) -> dict[str, Any]:
    """The YAML data of a rule family (``ws`` -> ``artlint/rules/ws.yaml``)."""
    import yaml

    # The rules package's own folder (importlib.resources costs a few
    # milliseconds of imports at every start-up; the data is plain files).
    if "artlint.rules" not in sys.modules:
        import artlint.rules  # noqa: F401
    path = Path(sys.modules["artlint.rules"].__file__).parent / f"{family}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data
