"""Untrusted configs and YAML rule files: whatever a pull request puts in
artlint.toml or in a rule file (huge, malformed or hostile values, YAML
bombs, Python tags, exponential regular expressions, paths out of the
repository) ends in an error of one line naming the file and key, never in a
traceback, a hang or a run that eats the machine; and a declarative pattern
that still backtracks on an article is stopped and reported as XX009."""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest

from artlint import yamlrules
from artlint.config import ConfigError, Layer, build_settings, read_config_file
from artlint.document import Document
from artlint.engine import lint_document
from artlint.yamlrules import backtracking_risk

from conftest import run_cli

RULE = "code: ACME001\nname: house\ntype: existence\n"
SLOW = r"[a-z]+[a-z]+[a-z]+[a-z]+\d"  # polynomial, not refused when loaded: only the timeout stops it
LONG_WORD_ARTICLE = "A first line.\n" + "a" * 3000 + "\nThe last line.\n"


def _rules(tmp_path: Path, body: str | bytes, name: str = "house.yaml") -> Path:
    path = tmp_path / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def _load_error(tmp_path: Path, body: str | bytes) -> str:
    path = _rules(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        build_settings({"rule-paths": ["house.yaml"]}, tmp_path, tmp_path / "artlint.toml", Layer())
    message = str(info.value)
    assert "\n" not in message
    return message.replace(str(path), "house.yaml").replace(str(tmp_path / "artlint.toml"), "artlint.toml")


def _lint(tmp_path: Path, text: str, config: dict, select: tuple[str, ...] | None = None,
          ignore: tuple[str, ...] = ()):
    s = build_settings(config, tmp_path, None, Layer(select=select, ignore=ignore))
    doc = Document("article.md", text)
    return [(*doc.position(d.span.start), d.code, d.message) for d in lint_document(doc, s)]


# ------------------------------------------------------------- rule files
def _aliases(levels: int) -> str:
    """The YAML "billion laughs": each level a list of nine of the one before."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


BAD_RULE_FILES = [
    # Safe loading only: no Python objects, whatever the tag.
    ('!!python/object/apply:os.system ["echo hacked"]\n',
     "house.yaml: invalid YAML (line 1): could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/object/apply:os.system'"),
    (RULE + "tokens: !!python/name:os.system\n",
     "house.yaml: invalid YAML (line 4): could not determine a constructor for the tag "
     "'tag:yaml.org,2002:python/name:os.system'"),
    (_aliases(9), "house.yaml: more than 200,000 values (YAML aliases repeating a list?); a rule file must be smaller"),
    (RULE + "tokens: &t [a, *t]\n", "house.yaml: lists and mappings nested more than 16 levels deep"),
    ("[" * 500 + "]" * 500 + "\n", "house.yaml: lists and mappings nested more than 16 levels deep"),
    (RULE.encode() + b"tokens: [caf\xe9]\n",
     "house.yaml: not valid UTF-8 (byte 0xe9 at offset 54); save the rule file as UTF-8"),
    (RULE + "tokens: [" + "a" * 1_000_000 + "]\n",
     "house.yaml: rule file is too large (1,000,053 bytes; at most 1,000,000)"),
    ("", "house.yaml: a rule must be a mapping of keys"),
    ("[]\n", "house.yaml: no rules in the file (an empty list)"),
    (RULE + "tokens: [a]\n---\n" + RULE + "tokens: [b]\n", "house.yaml: invalid YAML (line 5): but found another document"),
    # Wrong types.
    ("code: ACME001\nname: house\ntype: [existence]\ntokens: [a]\n",
     "house.yaml: key 'type': must be one of existence, substitution, consistency (got ['existence'])"),
    (RULE + "tokens: [1, 2]\n", "house.yaml: key 'tokens': must be a non-empty list of phrases"),
    (RULE + "tokens: {a: b}\n", "house.yaml: key 'tokens': must be a non-empty list of phrases"),
    (RULE + "tokens: [a]\nseverity: [error]\n", "house.yaml: key 'severity': must be error, warning or info"),
    (RULE + "tokens: [a]\nregex: 1\n", "house.yaml: key 'regex': must be true or false"),
    (RULE + "tokens: [a]\ndescription: {a: 1}\n", "house.yaml: key 'description': must be a string"),
    ("code: 2024-01-01\nname: house\ntype: existence\ntokens: [a]\n",
     "house.yaml: key 'code': must be 2-6 capital letters followed by three digits, like ACME001"),
    ("code: ACME001\nname: house\ntype: substitution\nswap: {a: {b: c}}\n",
     "house.yaml: key 'swap': must be a non-empty map of phrase: replacement"),
    ("code: ACME001\nname: house\ntype: substitution\nswap: {a: b}\nfix: [safe]\n",
     "house.yaml: key 'fix': must be safe, unsafe or none"),
    # A message is a template of {match} and {replacement}, with no format
    # spec: a width would build a gigabyte string for every finding.
    (RULE + "tokens: [a]\nmessage: '{match:>999999999999}'\n",
     "house.yaml: key 'message': bad placeholder {match:>999999999999}; use {match} and {replacement}"),
    (RULE + "tokens: [a]\nmessage: '{replacement!r:{match}}'\n",
     "house.yaml: key 'message': bad placeholder {replacement:{match}}; use {match} and {replacement}"),
    (RULE + "tokens: [a]\nmessage: '{0}{self}'\n",
     "house.yaml: key 'message': bad placeholder {0}; use {match} and {replacement}"),
    (RULE + "tokens: [a]\nmessage: 'unclosed {match'\n",
     "house.yaml: key 'message': bad placeholder (expected '}' before end of string); use {match} and {replacement}"),
    # Sizes.
    (RULE + "tokens: [" + ", ".join(f"w{i}" for i in range(10_001)) + "]\n",
     "house.yaml: key 'tokens': 10,001 phrases; at most 10,000 in one rule"),
    (RULE + "tokens: [" + "b" * 1001 + "]\n",
     f"house.yaml: key 'tokens': a phrase of 1,001 characters ('{'b' * 75}...'); at most 1,000"),
    (RULE + "regex: true\ntokens: ['a{99999999999}']\n",
     "house.yaml: key 'tokens': invalid regular expression 'a{99999999999}': repeat count too big at position 2"),
    (RULE + "regex: true\ntokens: ['(unclosed']\n",
     "house.yaml: key 'tokens': invalid regular expression '(unclosed': missing ) at position 9"),
    (RULE + "regex: true\ntokens: ['a', '(?x) b c']\n",
     "house.yaml: key 'tokens': the regular expression '(?x) b c' sets a flag for the whole rule, like (?i) "
     "or (?x); use the rule's ignorecase, or scope the flag: (?i:...)"),
    (RULE + "regex: true\ntokens: ['\\L<names>']\n",
     "house.yaml: key 'tokens': invalid regular expression '\\\\L<names>': undefined named list at position 9"),
]


@pytest.mark.parametrize(("body", "message"), BAD_RULE_FILES)
def test_a_bad_rule_file_is_one_line_naming_the_file_and_key(tmp_path, body, message):
    start = time.monotonic()
    assert _load_error(tmp_path, body) == message
    assert time.monotonic() - start < 10  # a YAML bomb is refused, not expanded


def test_yaml_aliases_within_bounds_are_fine(tmp_path):
    body = "- &base {code: ACME001, name: one, type: existence, tokens: [foo]}\n" \
           "- {code: ACME002, name: two, type: existence, tokens: [bar]}\n"
    _rules(tmp_path, body)
    assert [c for *_, c, _ in _lint(tmp_path, "foo bar\n", {"rule-paths": ["house.yaml"]}, ("ACME",))] == [
        "ACME001", "ACME002"]


# --------------------------------------------- exponential backtracking
EXPONENTIAL = [
    (r"(a+)+", "a repetition inside a repetition"),
    (r"(a*)*", "the repeated part can match empty text"),
    (r"(a|a)*", "alternatives that match the same text, repeated"),
    (r"(\w+\s?)+$", "a repetition inside a repetition"),
    (r"(?:\s*\w+)*", "a repetition inside a repetition"),
    (r"([^,]+,?)+$", "a repetition inside a repetition"),
    (r"(?:ab|ab)+", "alternatives that match the same text, repeated"),
    (r"(\w+ \w+)+", "the end of one round can also start the next"),
    (r"(?:a|aa)+", "the end of one round can also start the next"),
    (r"(.+,)+$", "the end of one round can also start the next"),
    (r"(?:[^.!?]+[.!?]\s*)+", "the end of one round can also start the next"),
    (r"(?:,\w+\s*\w+;)+", "repetitions side by side that can take the same characters, repeated"),
    (r"x(?:(?:a+)?b?)*y", "the repeated part can match empty text"),
    (r"(?:[A-Z][a-z]+)+", "the end of one round can also start the next"),  # ignorecase: [A-Z] is [a-z]
]
FINE = [
    r"\b(?:very|really)\s+\w+", r"\d+(?:\.\d+)?%", r"(?:[A-Z]\.){2,}", r"(?:\w+-)+\w+", r"(?:\s+\w+){3,}",
    r"(?:\w+\s)+", r"(a|ab)*", r"(?>a+)+", r"(?:a++)+", r"(\w|\d)+", r"(?:\d{1,3},)+", r'(?:"[^"]*"\s*)+',
    r"e[- ]?mail", r"(?:\w+(?:'\w+)?\s+)+", r"(?:ab?)+", r"colou?r", r"\p{Lu}\p{Ll}+", SLOW,
]


@pytest.mark.parametrize(("pattern", "reason"), EXPONENTIAL)
def test_an_exponential_pattern_is_refused_when_loaded(tmp_path, pattern, reason):
    quoted = pattern.replace("'", "''")
    message = _load_error(tmp_path, RULE + f"regex: true\ntokens: ['{quoted}']\n")
    assert message == (f"house.yaml: key 'tokens': the regular expression {pattern!r} can backtrack "
                       f"exponentially ({reason}); rewrite it, or make the inner repetition possessive "
                       "(a++) or atomic (?>...)")


@pytest.mark.parametrize("pattern", FINE)
def test_patterns_that_split_text_one_way_are_accepted(pattern):
    assert backtracking_risk(pattern, ignorecase=True) is None


def test_case_decides_whether_classes_overlap():
    assert backtracking_risk(r"(?:[A-Z][a-z]+)+", ignorecase=False) is None
    assert backtracking_risk(r"(?i)(?:[A-Z][a-z]+)+") == "the end of one round can also start the next"


def test_swap_and_either_patterns_are_checked_too(tmp_path):
    body = "code: ACME001\nname: house\ntype: substitution\nregex: true\nswap: {'(x+x+)+y': z}\n"
    assert _load_error(tmp_path, body).startswith(
        "house.yaml: key 'swap': the regular expression '(x+x+)+y' can backtrack exponentially")
    body = "code: ACME001\nname: house\ntype: consistency\nregex: true\neither: {'ok': '(a|a)*b'}\n"
    assert _load_error(tmp_path, body).startswith(
        "house.yaml: key 'either': the regular expression '(a|a)*b' can backtrack exponentially")


# ------------------------------------------------------- timeouts: XX009
def test_a_pattern_that_runs_too_long_is_stopped_and_reported_as_xx009(tmp_path):
    _rules(tmp_path, RULE + f"regex: true\nnonword: true\ntokens: ['{SLOW}', 'first']\n")
    config = {"rule-paths": ["house.yaml"], "rule-timeout": 0.2}
    start = time.monotonic()
    found = _lint(tmp_path, LONG_WORD_ARTICLE, config, ("ACME", "XX"))
    assert time.monotonic() - start < 5
    assert found == [
        (1, 1, "XX009", "ACME001 was stopped after 0.2 s on this file: its 'tokens' pattern took too long "
                        "(does it backtrack?); findings of ACME001 here may be missing"),
        (1, 3, "ACME001", "Avoid 'first'"),  # found before the rule was stopped: kept
    ]
    # The same rule on an article without the long word finishes.
    assert _lint(tmp_path, "A first line.\n", config, ("ACME", "XX")) == [(1, 3, "ACME001", "Avoid 'first'")]


def test_without_xx009_selected_a_stopped_rule_is_xx006(tmp_path):
    _rules(tmp_path, RULE + f"regex: true\nnonword: true\ntokens: ['{SLOW}']\n")
    config = {"rule-paths": ["house.yaml"], "rule-timeout": 0.2}
    assert _lint(tmp_path, LONG_WORD_ARTICLE, config, ("ACME",)) == [
        (1, 1, "XX006", "ACME001 failed: ACME001 was stopped after 0.2 s on this file: its 'tokens' pattern "
                        "took too long (does it backtrack?); findings of ACME001 here may be missing")]
    assert _lint(tmp_path, LONG_WORD_ARTICLE, config, ("ACME",), ignore=("XX",)) == []


def test_substitution_and_consistency_run_under_the_timeout_too(tmp_path):
    body = ("- {code: ACME001, name: one, type: substitution, regex: true, nonword: true, swap: {'%s': x}}\n"
            "- {code: ACME002, name: two, type: consistency, regex: true, nonword: true, either: {'%s': y}}\n"
            % (SLOW, SLOW))
    _rules(tmp_path, body)
    config = {"rule-paths": ["house.yaml"], "rule-timeout": 0.2}
    start = time.monotonic()
    found = _lint(tmp_path, LONG_WORD_ARTICLE, config, ("ACME", "XX"))
    assert time.monotonic() - start < 8
    assert [(line, col, code, message.split(":")[0]) for line, col, code, message in found] == [
        (1, 1, "XX009", "ACME001 was stopped after 0.2 s on this file"),
        (1, 1, "XX009", "ACME002 was stopped after 0.2 s on this file"),
    ]


def test_a_literal_phrase_list_is_searched_under_the_timeout(tmp_path):
    """A phrase of 500 words against 1.5 million one-letter words: each
    position walks the whole phrase; the clock is read between windows."""
    _rules(tmp_path, RULE + "tokens: ['" + "a " * 499 + "b']\n")
    config = {"rule-paths": ["house.yaml"], "rule-timeout": 0.3}
    start = time.monotonic()
    found = _lint(tmp_path, "a " * 1_500_000, config, ("ACME", "XX"))
    assert time.monotonic() - start < 10
    assert [code for _, _, code, _ in found] == ["XX009"]


def test_the_cli_reports_xx009_and_fails(tmp_path):
    _rules(tmp_path, RULE + f"regex: true\nnonword: true\ntokens: ['{SLOW}']\n")
    (tmp_path / "artlint.toml").write_text('rule-paths = ["house.yaml"]\nrule-timeout = 0.25\n')
    (tmp_path / "long.md").write_text(LONG_WORD_ARTICLE)
    (tmp_path / "short.md").write_text("A short line.\n")
    start = time.monotonic()
    proc = run_cli("check", "--no-cache", "--output-format", "concise", "long.md", "short.md", cwd=tmp_path)
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [
        "long.md:1:1: XX009 ACME001 was stopped after 0.25 s on this file: its 'tokens' pattern took too long "
        "(does it backtrack?); findings of ACME001 here may be missing",
        "Found 1 finding.",
    ]
    assert proc.stderr == b""



@pytest.mark.parametrize(("select", "first"), [
    ((), "long.md:1:1: XX009 ACME001 was stopped"),
    # XX009 not selected: the stop is XX006, and still not cached.
    (("--select", "ACME001"), "long.md:1:1: XX006 ACME001 failed: ACME001 was stopped"),
])
def test_a_timed_out_file_is_not_cached(tmp_path, select, first):
    """A stop may be the machine's load, not the file: the next run with
    the cache lints the file again (and stops again here)."""
    _rules(tmp_path, RULE + f"regex: true\nnonword: true\ntokens: ['{SLOW}']\n")
    (tmp_path / "artlint.toml").write_text('rule-paths = ["house.yaml"]\nrule-timeout = 0.25\n')
    (tmp_path / "long.md").write_text(LONG_WORD_ARTICLE)
    cache = tmp_path / "cache"
    for _ in range(2):
        proc = run_cli("check", "--cache-dir", str(cache), "--output-format", "concise", *select, "long.md",
                       cwd=tmp_path)
        assert proc.stdout.decode().splitlines()[0].startswith(first)
    stored = "".join(f.read_text() for f in cache.rglob("*.json"))
    assert "was stopped" not in stored

def test_windowed_search_finds_what_one_search_finds(monkeypatch):
    """The phrase-list search in windows (to look at the clock) gives the
    matches of one search of the whole text, across every window edge."""
    rng = random.Random(7)
    words = ["in", "order", "to", "in order", "in order to", "very", "very unique", "x-ray", "ray"]
    text = " ".join(rng.choice(words + ["zz", "\n", "  ", "-"]) for _ in range(3000))
    flags = {"ignorecase": True, "nonword": False, "regex": False}
    finder = yamlrules._compile(words, flags, "house.yaml", "tokens")
    whole = [(m.start(), m.end()) for m in finder.pattern.finditer(text)]
    assert len(whole) > 500
    for window in (1, 7, 50, 333):
        monkeypatch.setattr(yamlrules, "_WINDOW", window)
        clock = yamlrules._Clock(60)
        assert [(m.start(), m.end()) for m in finder.finditer(text, clock)] == whole, window


def test_a_list_of_ten_thousand_phrases_loads_and_runs_quickly(tmp_path):
    rng = random.Random(3)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 8))) for _ in range(500)]
    phrases = sorted({" ".join(rng.choice(vocab) for _ in range(rng.randint(1, 6))) for _ in range(12_000)})[:10_000]
    _rules(tmp_path, RULE + "tokens:\n" + "".join(f"  - {p}\n" for p in phrases))
    start = time.monotonic()
    s = build_settings({"rule-paths": ["house.yaml"]}, tmp_path, None, Layer(select=("ACME", "XX")))
    loaded = time.monotonic()
    text = " ".join(rng.choice(vocab) for _ in range(20_000))
    found = lint_document(Document("article.md", text), s)
    assert loaded - start < 15 and time.monotonic() - loaded < 5
    assert found and {d.code for d in found} == {"ACME001"}


def test_phrase_lists_keep_their_meaning():
    """The trie of a phrase list finds what the list sorted longest first
    finds (a run of spaces in a phrase is any run of whitespace)."""
    flags = {"ignorecase": True, "nonword": False, "regex": False}
    phrases = ["very", "very unique", "in order to", "in  order", "e.g.", "C++", "x"]
    finder = yamlrules._compile(phrases, flags, "house.yaml", "tokens")
    text = "Very unique, very uniquely. In\norder to go, in order. E.g. C++ x-ray x."
    got = [m.group() for m in finder.finditer(text, yamlrules._Clock(60))]
    assert got == ["Very unique", "very", "In\norder to", "in order", "E.g.", "C++", "x"]
    rng = random.Random(11)
    words = ["an", "and", "android", "an droid", "a", "x-ray", "ray", "C#", "c", "naïve", "NAÏVE", "é"]
    for ignorecase in (True, False):
        flags = {"ignorecase": ignorecase, "nonword": False, "regex": False}
        finder = yamlrules._compile(words, flags, "house.yaml", "tokens")
        flat = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(words, key=len, reverse=True))
        old = re.compile(rf"(?<![\w-])(?:{flat})(?![\w-])", re.IGNORECASE if ignorecase else 0)
        text = " ".join(rng.choice(words + ["And", "-", "\n", "droid", "Ray", "xray"]) for _ in range(2000))
        assert [m.span() for m in finder.finditer(text, yamlrules._Clock(60))] == [
            m.span() for m in old.finditer(text)]


# ------------------------------------------------------------ config values
BAD_CONFIGS = [
    ({"max-file-size": 99999999999999999999999},
     "artlint.toml: 'max-file-size' is out of range (a 64-bit integer is at most 9223372036854775807)"),
    ({"max-file-size": -5}, "artlint.toml: 'max-file-size' must be a positive number of bytes"),
    ({"max-file-size": 1.5}, "artlint.toml: 'max-file-size' must be a positive number of bytes"),
    ({"rule-timeout": float("nan")}, "artlint.toml: 'rule-timeout' must be a finite number, not nan"),
    ({"rule-timeout": float("inf")}, "artlint.toml: 'rule-timeout' must be a finite number, not inf"),
    ({"rule-timeout": 0}, "artlint.toml: 'rule-timeout' must be a number of seconds above 0 and at most 3600"),
    ({"rule-timeout": "1s"}, "artlint.toml: 'rule-timeout' must be a number of seconds above 0 and at most 3600"),
    ({"rd": {"max-grade": float("nan")}}, "artlint.toml: 'rd.max-grade' must be a finite number, not nan"),
    ({"hl": {"similarity": float("-inf")}}, "artlint.toml: 'hl.similarity' must be a finite number, not -inf"),
    ({"rd": {"max-sentence-words": -3}}, "artlint.toml: rd.max-sentence-words: must be 0 or more, not -3"),
    ({"bp": {"chrome-min-lines": 2**70}},
     "artlint.toml: 'bp.chrome-min-lines' is out of range (a 64-bit integer is at most 9223372036854775807)"),
    ({"ws": {"legitimate-doubles": ["had", 1]}},
     "artlint.toml: ws.legitimate-doubles[1]: expected a string, got an integer"),
    ({"ws": {"legitimate-doubles": [["had"]]}},
     "artlint.toml: ws.legitimate-doubles[0]: expected a string, got an array"),
    ({"ws": {"legitimate-doubles": {"had": "had"}}},
     "artlint.toml: ws.legitimate-doubles: expected a list of strings, got a table"),
    ({"qt": {"quote-style": ["us"]}}, "artlint.toml: qt.quote-style: must be one of 'us', 'uk'"),
    ({"bp": {"max-line-length": True}}, "artlint.toml: bp.max-line-length: expected an integer, got a boolean"),
    ({"exclude": ["a" * 10_001]}, "artlint.toml: 'exclude[0]' is a string of 10,001 characters; at most 10,000"),
    ({"extend-exclude": ["x"] * 100_001}, "artlint.toml: 'extend-exclude' has 100,001 entries; at most 100,000"),
    ({"ws": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": 1}}}}}}}}},
     "artlint.toml: 'ws.a.b.c.d.e.f.g' is nested more than 8 levels deep"),
    ({"select": ["WS", 3]}, "artlint.toml: 'select' must be a list of strings"),
    ({"rule-paths": [""]}, "artlint.toml: rule-paths: '' is not a path"),
]


@pytest.mark.parametrize(("raw", "message"), BAD_CONFIGS)
def test_a_hostile_config_value_is_one_line_naming_the_key(tmp_path, raw, message):
    cfg = tmp_path / "artlint.toml"
    with pytest.raises(ConfigError) as info:
        build_settings(raw, tmp_path, cfg, Layer())
    assert str(info.value).replace(str(cfg), "artlint.toml") == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"select = ['WS']\n# " + b"x" * 1_000_000 + b"\n", "config file is too large (over 1,000,000 bytes)"),
        (b"select = ['W\xffS']\n", "not valid UTF-8 (byte 0xff at offset 12); save the config file as UTF-8"),
        (b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "invalid TOML: arrays or tables nested too deeply"),
        (b"x = {" + b"a = {" * 5000 + b"}" * 5001 + b"\n", "invalid TOML: arrays or tables nested too deeply"),
        (b"select = [\n", "invalid TOML: Invalid value (at end of document)"),
    ],
)
def test_a_hostile_config_file_is_one_line(tmp_path, data, message):
    cfg = tmp_path / "artlint.toml"
    cfg.write_bytes(data)
    with pytest.raises(ConfigError) as info:
        read_config_file(cfg)
    assert str(info.value) == f"{cfg}: {message}"


def test_the_cli_prints_config_and_rule_file_errors_as_one_line(tmp_path):
    (tmp_path / "a.md").write_text("A clean sentence with nothing wrong in it.\n")
    (tmp_path / "artlint.toml").write_text("rule-timeout = nan\n")
    proc = run_cli("check", "--no-cache", "a.md", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, b"")
    assert proc.stderr.decode().splitlines() == [
        f"artlint: error: {tmp_path / 'artlint.toml'}: 'rule-timeout' must be a finite number, not nan"]
    (tmp_path / "artlint.toml").write_text('rule-paths = ["house.yaml"]\n')
    _rules(tmp_path, _aliases(9))
    proc = run_cli("check", "--no-cache", "a.md", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (2, b"")
    assert proc.stderr.decode().splitlines() == [
        f"artlint: error: {tmp_path / 'house.yaml'}: more than 200,000 values (YAML aliases repeating a list?); "
        "a rule file must be smaller"]
    _rules(tmp_path, RULE + "regex: true\ntokens: ['(\\w+\\s?)+$']\n")
    proc = run_cli("rules", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().splitlines() == [
        f"artlint: error: {tmp_path / 'house.yaml'}: key 'tokens': the regular expression '(\\\\w+\\\\s?)+$' "
        "can backtrack exponentially (a repetition inside a repetition); rewrite it, or make the inner "
        "repetition possessive (a++) or atomic (?>...)"]


# -------------------------------------------------------------- rule-paths
def _repo(tmp_path: Path) -> Path:
    """A git work tree with its config in a subfolder, rules beside it, and
    rules outside it."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "site").mkdir()
    (repo / "style").mkdir()
    (repo / "style" / "house.yaml").write_text(RULE + "tokens: [foo]\n")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "other.yaml").write_text("code: ACME002\nname: other\ntype: existence\ntokens: [bar]\n")
    return repo


def _house(settings) -> list[str]:
    return [code for code in settings.enabled if code.startswith("ACME")]


def _paths_error(root: Path, entries: list[str]) -> str:
    with pytest.raises(ConfigError) as info:
        build_settings({"rule-paths": entries}, root, root / "artlint.toml", Layer())
    assert "\n" not in str(info.value)
    return str(info.value)


def test_rule_paths_may_not_leave_the_repository_by_dot_dot(tmp_path):
    repo = _repo(tmp_path)
    site = repo / "site"
    # Up to the repository root is fine: the config is in a subfolder.
    s = build_settings({"rule-paths": ["../style"]}, site, site / "artlint.toml", Layer())
    assert _house(s) == ["ACME001"]
    assert _paths_error(site, ["../../shared/other.yaml"]) == (
        f"{site / 'artlint.toml'}: rule-paths: '../../shared/other.yaml' leads outside the repository {repo}; "
        "give an absolute path to use rules from there")
    assert _paths_error(site, ["../style/../../shared"]).startswith(
        f"{site / 'artlint.toml'}: rule-paths: '../style/../../shared' leads outside the repository")


def test_rule_paths_may_not_leave_the_repository_through_a_symlink(tmp_path):
    repo = _repo(tmp_path)
    (repo / "linked").symlink_to(tmp_path / "shared")
    assert _paths_error(repo, ["linked"]) == (
        f"{repo / 'artlint.toml'}: rule-paths: 'linked' leads outside the repository {repo} through a symlink "
        f"(to {tmp_path / 'shared'}); give an absolute path to use rules from there")
    # A symlinked file inside a rule folder is followed only inside the repository.
    (repo / "style" / "other.yaml").symlink_to(tmp_path / "shared" / "other.yaml")
    assert _paths_error(repo, ["style"]) == (
        f"{repo / 'artlint.toml'}: rule-paths: {repo / 'style' / 'other.yaml'} leads outside the repository "
        f"{repo} through a symlink (to {tmp_path / 'shared' / 'other.yaml'}); give an absolute path to use "
        "rules from there")
    (repo / "style" / "other.yaml").unlink()
    (repo / "style" / "again.yaml").symlink_to(repo / "style" / "house.yaml")
    with pytest.raises(ConfigError, match="ACME001 is registered twice"):  # followed: it is inside
        build_settings({"rule-paths": ["style"]}, repo, repo / "artlint.toml", Layer())


def test_an_absolute_rule_path_is_taken_as_given(tmp_path):
    repo = _repo(tmp_path)
    s = build_settings({"rule-paths": ["style", str(tmp_path / "shared")]}, repo, repo / "artlint.toml", Layer())
    assert _house(s) == ["ACME001", "ACME002"]


def test_without_git_the_config_folder_is_the_boundary(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    (tmp_path / "house.yaml").write_text(RULE + "tokens: [foo]\n")
    assert _paths_error(folder, ["../house.yaml"]) == (
        f"{folder / 'artlint.toml'}: rule-paths: '../house.yaml' leads outside the repository {folder}; "
        "give an absolute path to use rules from there")


def test_rule_folders_do_not_follow_folder_symlinks(tmp_path):
    repo = _repo(tmp_path)
    (repo / "style" / "loop").symlink_to(repo / "style")
    (repo / "style" / "out").symlink_to(tmp_path / "shared")
    s = build_settings({"rule-paths": ["style"]}, repo, repo / "artlint.toml", Layer())
    assert _house(s) == ["ACME001"]


def test_a_missing_or_special_rule_path_is_named(tmp_path):
    assert _paths_error(tmp_path, ["missing.yaml"]) == (
        f"{tmp_path / 'artlint.toml'}: rule-paths: {tmp_path / 'missing.yaml'}: no such file or directory")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.yaml")
        assert _paths_error(tmp_path, ["pipe.yaml"]) == (
            f"{tmp_path / 'artlint.toml'}: rule-paths: {tmp_path / 'pipe.yaml'}: not a file or folder")


def test_messages_never_span_lines(tmp_path):
    """YAML problems, regex errors and long values are shown on one line."""
    for body in (RULE + "tokens: [a\x00]\n", RULE + 'regex: true\ntokens: ["a\\nb("]\n',
                 "code: ACME001\nname: house\ntype: '" + "x\\n" * 50 + "'\ntokens: [a]\n"):
        message = _load_error(tmp_path, body)
        assert message.startswith("house.yaml: ") and len(message) < 400, message
    assert _load_error(tmp_path, "code: ACME001\nname: house\ntype: '" + "x\\n" * 50 + "'\ntokens: [a]\n").endswith(
        "(got 'x\\\\nx\\\\nx\\\\nx\\\\nx\\\\nx\\\\nx\\\\nx\\\\nx\\\\n...)")
