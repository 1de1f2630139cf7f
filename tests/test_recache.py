"""The compiled-pattern cache: what it hands back is what re.compile makes,
and a missing, stale or damaged cache file costs time, never a wrong pattern."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from artlint import recache

PATTERNS = [
    (r"(?P<word>\w+)\s+(?P=word)", 0),
    (r"^(?:read more|continue reading)[.:!]*$", re.I | re.M),
    (r"[“”\"‘’']", 0),
    (r"(?<=[.!?])(?P<close>[”\"])(?P<frag>[ \t]+(?P<name>[A-Z][a-z]+)\.)", 0),
    (r"(?x) a \s+ b  # verbose", 0),
    (r"(?s)<!--.*?-->", 0),
    (rb"\r+\n", 0),
    (r"", 0),
]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """The module as a new process sees it, its file in tmp_path."""
    path = tmp_path / "regex.bin"
    monkeypatch.setattr(recache, "cache_file", lambda: str(path))
    monkeypatch.setattr(recache.sys, "dont_write_bytecode", False)

    def restart():
        monkeypatch.setattr(recache, "_entries", None)
        monkeypatch.setattr(recache, "_widths", None)
        monkeypatch.setattr(recache, "_firsts", None)
        monkeypatch.setattr(recache, "_used", {})
        monkeypatch.setattr(recache, "_widths_used", {})
        monkeypatch.setattr(recache, "_firsts_used", {})
        monkeypatch.setattr(recache, "_dirty", False)

    restart()
    return path, restart


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert a == b  # same pattern, flags and engine code
    assert (a.groups, a.groupindex, a.flags) == (b.groups, b.groupindex, b.flags)


@pytest.mark.parametrize("pattern,flags", PATTERNS)
def test_compile_equals_re_compile_before_and_after_the_file(fresh, pattern, flags):
    path, restart = fresh
    _same(recache.compile(pattern, flags), re.compile(pattern, flags))
    recache.save()
    assert path.is_file()
    restart()
    cached = recache.compile(pattern, flags)
    assert recache._dirty is False  # taken from the file, nothing new to write
    _same(cached, re.compile(pattern, flags))


def test_patterns_from_the_file_match_as_the_originals(fresh):
    path, restart = fresh
    for pattern, flags in PATTERNS:
        recache.compile(pattern, flags)
    recache.save()
    restart()
    text = "She said “we will win.” Smith. Read More\nthe the end <!-- x\ny -->"
    for pattern, flags in PATTERNS:
        if isinstance(pattern, bytes):
            continue
        old, new = re.compile(pattern, flags), recache.compile(pattern, flags)
        assert [m.groupdict() or m.span() for m in new.finditer(text)] == \
               [m.groupdict() or m.span() for m in old.finditer(text)]


def test_a_bad_pattern_raises_re_error(fresh):
    with pytest.raises(re.error):
        recache.compile("(unclosed")


def test_a_damaged_or_stale_file_is_ignored(fresh):
    path, restart = fresh
    recache.compile(r"\d+")
    recache.save()
    data = path.read_bytes()
    for damaged in (b"", b"not marshal", data[: len(data) // 2]):
        path.write_bytes(damaged)
        restart()
        _same(recache.compile(r"\d+"), re.compile(r"\d+"))
    # a file from another Python (another stamp) is not used
    import marshal

    stamp, entries, widths, firsts = marshal.loads(data)
    path.write_bytes(marshal.dumps((("another python",), entries, widths, firsts)))
    restart()
    recache.compile(r"\d+")
    assert recache._dirty is True  # compiled anew


def test_code_the_engine_rejects_is_compiled_anew(fresh):
    path, restart = fresh
    import marshal

    recache.compile(r"a+b")
    recache.save()
    stamp, entries, widths, firsts = marshal.loads(path.read_bytes())
    flags, code, groups, groupindex, indexgroup = entries[(r"a+b", 0)]
    entries[(r"a+b", 0)] = (flags, [9999] * len(code), groups, groupindex, indexgroup)
    path.write_bytes(marshal.dumps((stamp, entries, widths, firsts)))
    restart()
    _same(recache.compile(r"a+b"), re.compile(r"a+b"))


def test_nothing_is_written_without_bytecode_writing(fresh, monkeypatch):
    path, _ = fresh
    monkeypatch.setattr(recache.sys, "dont_write_bytecode", True)
    recache.compile(r"x+")
    recache.save()
    assert not path.exists()


def test_the_file_keeps_a_bounded_number_of_patterns(fresh, monkeypatch):
    path, restart = fresh
    monkeypatch.setattr(recache, "MAX_ENTRIES", 5)
    for i in range(4):
        recache.compile(f"a{{{i}}}")
    recache.save()
    restart()
    for i in range(4, 7):  # 4 + 3 > 5: only this run's patterns are kept
        recache.compile(f"a{{{i}}}")
    recache.save()
    restart()
    recache._load()
    assert sorted(p for p, _ in recache._entries) == ["a{4}", "a{5}", "a{6}"]


@pytest.mark.parametrize("pattern,width", [("abc", 3), ("a{2,5}", 5), ("(?:yes|no)!?", 4), ("", 0)])
def test_max_width(fresh, pattern, width):
    path, restart = fresh
    assert recache.max_width(pattern) == width
    recache.save()
    restart()
    assert recache.max_width(pattern) == width
    assert recache._dirty is False


@pytest.mark.parametrize("pattern,first", [
    ("abc", {"a"}), ("(?:yes|no)!?", {"y", "n"}), ("a?b", {"a", "b"}), ("(?=.*x)ab", {"a"}),
    (r"(?:©|\(c\)|copyright)\s*\d{4}", {"©", "(", "c"}), ("[a-c]x", {"a", "b", "c"}),
    # \d: the ASCII digits, and "" for the digits of other scripts
    (r"\d+ shares", set("0123456789") | {""}),
    # any first character: a wildcard, \w, a negated class, case-blind, a
    # pattern that can match nothing
    (".{1,3}x", None), (r"\w+", None), ("[^a]b", None), ("(?i:abc)", None), ("(?i)abc", None),
    ("x*", None), ("(?:a|.)b", None), ("(unclosed", None),
])
def test_first_chars(fresh, pattern, first):
    """The characters a match can start with: every pattern of a
    _ByFirstChar bucket must hold them, so a wrong answer loses matches."""
    path, restart = fresh
    assert recache.first_chars(pattern) == (None if first is None else frozenset(first))
    recache.save()
    restart()
    assert recache.first_chars(pattern) == (None if first is None else frozenset(first))
    if first is not None or pattern != "(unclosed":
        assert recache._dirty is False  # the answer came from the file


def test_first_chars_hold_every_match():
    """Over every whole-line pattern of BP001 and strings that match them,
    a match starts with one of the pattern's first characters."""
    from artlint.rules import bp

    samples = ["leave a reply", "3 comments", "share on bluesky", "© 2024 the gazette", "(photo by jo lee)",
               "5 min read", "12 shares", "sat 8 nov 2025 17.42 gmt", "march 3, 2024 at 4:15 pm",
               "check price at ridgeway outdoor", "home > news > local", "٣ comments"]
    for _, _, patterns in bp._line_groups(()):
        for pattern in patterns:
            first = recache.first_chars(pattern)
            for sample in samples:
                if re.fullmatch(pattern, sample):
                    assert first is None or sample[0] in first or (
                        "" in first and sample[0] not in "0123456789"), (pattern, sample)


def test_max_width_of_an_unbounded_pattern_is_large_and_of_a_bad_one_unknown(fresh):
    assert recache.max_width(r"a+") > 1 << 20
    assert recache.max_width("(unclosed") is None


def test_every_pattern_of_a_run_is_what_re_compile_makes(tmp_path):
    """A whole check in a new process, twice: the second takes every pattern
    from the file, and each equals re.compile's."""
    article = tmp_path / "a.txt"
    article.write_text("A headline\n\nRead more\n\n“Quote,” she said. Smith.\n", encoding="utf-8")
    script = f"""
import re, sys
from artlint import recache
recache.cache_file = lambda: {str(tmp_path / 'regex.bin')!r}
from artlint.cli import main
try:
    main(["check", "--no-cache", "--exit-zero", "-q", {str(article)!r}])
except SystemExit:
    pass
recache._load()
bad = [key for key, args in recache._used.items() if recache.compile(*key) != re.compile(*key)]
print(len(recache._used), len(recache._entries), recache._dirty, bad)
"""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    used, held, dirty, bad = first.stdout.splitlines()[-1].split(" ", 3)
    assert int(used) > 50 and held == "0" and dirty == "True" and bad.strip() == "[]", first.stdout + first.stderr
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    used2, held2, dirty2, bad2 = second.stdout.splitlines()[-1].split(" ", 3)
    assert used2 == used and int(held2) >= int(used) and dirty2 == "False" and bad2.strip() == "[]", second.stdout


def test_the_file_goes_where_bytecode_goes(tmp_path, monkeypatch):
    import os

    here = os.path.dirname(os.path.abspath(recache.__file__))
    monkeypatch.setattr(recache.sys, "pycache_prefix", None)
    assert os.path.dirname(recache.cache_file()) == os.path.join(here, "__pycache__")
    monkeypatch.setattr(recache.sys, "pycache_prefix", str(tmp_path))
    assert recache.cache_file().startswith(str(tmp_path) + os.sep)
    assert f"{sys.hexversion:x}" in os.path.basename(recache.cache_file())
