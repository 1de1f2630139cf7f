"""Configuration: selection, severities, options, discovery and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from artlint.config import ConfigError, Layer, build_settings, find_config_file, resolve_selection, settings_for
from artlint.registry import load_builtin_rules
from artlint.types import Severity

REG = load_builtin_rules()
WS = {m.code for m in REG if m.code.startswith("WS")}
DEFAULT = {m.code for m in REG if m.default_enabled}


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ([], DEFAULT),
        ([Layer(select=("WS",))], WS | {"XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        ([Layer(select=("WS003",))], {"WS003", "XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        ([Layer(select=("multiple-spaces",))], {"WS003", "XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        ([Layer(select=("WS",), ignore=("WS001",))], (WS - {"WS001"}) | {"XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        # The more specific selector wins: WS001 stays on.
        ([Layer(select=("WS001",), ignore=("WS",))], {"WS001", "XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        ([Layer(ignore=("WS",))], DEFAULT - WS),
        ([Layer(ignore=("XX",))], DEFAULT - {c for c in DEFAULT if c.startswith("XX")}),
        # A later layer's select replaces the earlier selection; ignore adds.
        ([Layer(select=("WS001",)), Layer(select=("WS002",))], {"WS002", "XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        ([Layer(select=("WS001", "WS002")), Layer(ignore=("WS002",))], {"WS001", "XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        ([Layer(select=("WS001",)), Layer(extend_select=("WS002",))], {"WS001", "WS002", "XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"}),
        ([Layer(select=("ALL",))], set(REG.rules)),
    ],
)
def test_selection(layers, expected):
    assert resolve_selection(REG, layers) == expected


@pytest.mark.parametrize("selector", ["WS999", "W", "nope-rule", "WS0x"])
def test_unknown_selectors_are_errors(selector):
    with pytest.raises(ConfigError, match=f"unknown rule selector '{selector}'"):
        resolve_selection(REG, [Layer(select=(selector,))])


def test_severity_overrides_most_specific_wins(tmp_path):
    s = build_settings({"severity": {"WS": "info", "WS001": "error"}}, tmp_path, None, Layer())
    assert s.severity["WS001"] == Severity.ERROR
    assert s.severity["WS003"] == Severity.INFO


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"selct": ["WS"]}, "unknown key 'selct' (did you mean 'select'?)"),
        ({"select": "WS001"}, None),  # a single string is accepted
        ({"select": [1]}, "'select' must be a list of strings"),
        ({"severity": {"WS001": "fatal"}}, "'fatal' is not a level"),
        ({"fail-level": "loud"}, "'loud' is not a level"),
        ({"ws": {"legitimate-doubles": "had"}}, "ws.legitimate-doubles: expected a list of strings"),
        ({"ws": {"legitimate-double": ["had"]}}, "unknown key 'legitimate-double' in [ws] (did you mean 'legitimate-doubles'?)"),
        ({"ws": []}, "'ws' must be a table of options"),
        ({"per-file-ignores": {"*.md": ["WS999"]}}, "unknown rule selector 'WS999'"),
        ({"max-file-size": -1}, "'max-file-size' must be a positive number of bytes"),
        ({"rule-paths": ["missing.yaml"]}, "missing.yaml: no such file or directory"),
    ],
)
def test_config_errors_name_the_file_and_key(tmp_path, raw, message):
    cfg = tmp_path / "artlint.toml"
    if message is None:
        build_settings(raw, tmp_path, cfg, Layer())
        return
    with pytest.raises(ConfigError) as info:
        build_settings(raw, tmp_path, cfg, Layer())
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_options_reach_the_rule(tmp_path):
    from conftest import lint

    text = "The team went went home.\n"
    assert lint(text, select=["WS007"]) == [(1, 10, "WS007")]
    assert lint(text, select=["WS007"], config={"ws": {"legitimate-doubles": ["went"]}}) == []


def test_discovery_nearest_wins_and_precedence(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.artlint]\nignore = ['WS001']\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (tmp_path / "a" / "artlint.toml").write_text("select = ['WS003']\n")
    (tmp_path / "a" / ".artlint.toml").write_text("select = ['WS002']\n")
    assert find_config_file(sub) == tmp_path / "a" / ".artlint.toml"
    assert find_config_file(tmp_path) == tmp_path / "pyproject.toml"


def test_pyproject_without_our_table_is_skipped(tmp_path):
    (tmp_path / "artlint.toml").write_text("select = ['WS003']\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert find_config_file(inner) == tmp_path / "artlint.toml"


@pytest.mark.parametrize(("text", "ours"), [
    ("[tool.other]\nname = 'x'\n", False),
    ("not toml at all [[[\n", False),  # never parsed: it cannot hold our table
    ("[tool.artlint]\nselect = ['WS']\n", True),
    ("[tool]\nartlint = { select = ['WS'] }\n", True),
    ('[tool."art\\u006Cint"]\nselect = ["WS"]\n', True),  # the name spelled with an escape
])
def test_pyproject_is_ours_only_with_our_table(tmp_path, text, ours):
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    assert (find_config_file(tmp_path) == tmp_path / "pyproject.toml") is ours


def test_settings_are_resolved_relative_to_the_config(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house.yaml").write_text(
        "{code: ACME001, name: no-utilize, type: substitution, swap: {utilize: use}}\n")
    cfg = tmp_path / "artlint.toml"
    cfg.write_text("rule-paths = ['rules']\n")
    s = settings_for(cfg, Layer(), Path("/"))
    assert "ACME001" in s.enabled


def test_quote_style_uk_turns_punctuation_placement_off():
    from conftest import lint

    text = "The council called the plan “bold”, the mayor said.\n"
    assert lint(text, select=["QT005"]) == [(1, 34, "QT005")]
    assert lint(text, select=["QT005"], config={"qt": {"quote-style": "uk"}}) == []


def test_quote_style_must_be_us_or_uk(tmp_path):
    with pytest.raises(ConfigError, match="qt.quote-style: must be one of 'us', 'uk'"):
        build_settings({"qt": {"quote-style": "british"}}, tmp_path, None, Layer())
