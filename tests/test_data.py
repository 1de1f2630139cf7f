"""Rule data files are data: valid, sorted, unique, no contradictions."""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

DATA = sorted(p.name for p in files("artlint.rules").iterdir() if p.name.endswith(".yaml"))


@pytest.mark.parametrize("name", DATA)
def test_lists_are_sorted_unique_strings(name):
    data = yaml.safe_load((files("artlint.rules") / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    for key, value in data.items():
        if isinstance(value, list):
            assert all(isinstance(v, str) and v == v.strip() and v for v in value), f"{name}:{key}"
            assert value == sorted(value), f"{name}:{key} is not sorted"
            assert len(value) == len(set(value)), f"{name}:{key} has duplicates"


def test_ws_doubles_and_function_words_do_not_contradict():
    data = yaml.safe_load((files("artlint.rules") / "ws.yaml").read_text(encoding="utf-8"))
    # A legitimate double is never reported, so listing it as a function
    # word (safe to delete) would be dead data unless it is truly both.
    both = set(data["legitimate-doubles"]) & set(data["function-words"])
    assert both == set(), both
    assert all(w == w.lower() for w in data["legitimate-doubles"] + data["function-words"])
