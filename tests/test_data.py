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


# --------------------------------------------------- the parsed-data cache
@pytest.fixture
def rules_folder(tmp_path, monkeypatch):
    from artlint import data

    monkeypatch.setattr(data, "_rules_folder", lambda: tmp_path)
    monkeypatch.setattr(data.sys, "dont_write_bytecode", False)
    data.load_data.cache_clear()
    yield tmp_path
    data.load_data.cache_clear()


def _load(family):
    from artlint import data

    data.load_data.cache_clear()
    return data.load_data(family)


def test_data_is_parsed_once_then_read_from_the_cache(rules_folder, monkeypatch):
    import sys

    from artlint.data import cache_path

    (rules_folder / "xx.yaml").write_text("words:\n  - één\n  - two\n", encoding="utf-8")
    assert _load("xx") == {"words": ["één", "two"]}
    assert cache_path(rules_folder / "xx.yaml").is_file()
    monkeypatch.setitem(sys.modules, "yaml", None)  # the cache is read without the parser
    assert _load("xx") == {"words": ["één", "two"]}


def test_a_changed_data_file_is_parsed_again(rules_folder):
    import os

    path = rules_folder / "xx.yaml"
    path.write_text("words: [one]\n", encoding="utf-8")
    assert _load("xx") == {"words": ["one"]}
    path.write_text("words: [one, two, three]\n", encoding="utf-8")  # another size
    assert _load("xx") == {"words": ["one", "two", "three"]}
    stat = path.stat()
    path.write_text("words: [six, two, three]\n", encoding="utf-8")  # the same size, another time
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _load("xx") == {"words": ["six", "two", "three"]}


def test_a_broken_or_foreign_cache_is_ignored(rules_folder):
    from artlint.data import cache_path

    path = rules_folder / "xx.yaml"
    path.write_text("words: [one]\n", encoding="utf-8")
    _load("xx")
    for junk in ("{not json", "[]", '{"stamp": [1, 2, 3], "data": {"words": ["bad"]}}', ""):
        cache_path(path).write_text(junk, encoding="utf-8")
        assert _load("xx") == {"words": ["one"]}


def test_no_cache_is_written_when_bytecode_is_not(rules_folder, monkeypatch):
    from artlint import data

    monkeypatch.setattr(data.sys, "dont_write_bytecode", True)
    (rules_folder / "xx.yaml").write_text("words: [one]\n", encoding="utf-8")
    assert _load("xx") == {"words": ["one"]}
    assert not (rules_folder / "__pycache__").exists()


def test_data_json_cannot_hold_is_not_cached(rules_folder):
    from artlint.data import cache_path

    (rules_folder / "xx.yaml").write_text("when: 2024-01-01\n1: one\n", encoding="utf-8")
    assert _load("xx")["when"].year == 2024
    assert not cache_path(rules_folder / "xx.yaml").exists()
    (rules_folder / "yy.yaml").write_text("1: one\n", encoding="utf-8")
    assert _load("yy") == {1: "one"}
    assert not cache_path(rules_folder / "yy.yaml").exists()


def test_an_unwritable_cache_folder_is_no_error(rules_folder):
    (rules_folder / "__pycache__").write_text("a file where the folder would be", encoding="utf-8")
    (rules_folder / "xx.yaml").write_text("words: [one]\n", encoding="utf-8")
    assert _load("xx") == {"words": ["one"]}
    assert not list(rules_folder.glob("__pycache__*.tmp")) and not list(rules_folder.glob("*.tmp"))
