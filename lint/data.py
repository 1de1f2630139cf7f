"""Rule data files (YAML beside the rule modules), loaded once per process."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load_data(family: str) -> dict[str, Any]:
    """The YAML data of a rule family (``ws`` -> ``artlint/rules/ws.yaml``)."""
    import yaml

    path = files("artlint.rules") / f"{family}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data
