"""Declarative YAML rules: existence, substitution, consistency."""

from __future__ import annotations

import pytest

from artlint.config import ConfigError

from conftest import fix, lint


def _cfg(tmp_path, body: str) -> dict:
    path = tmp_path / "house.yaml"
    path.write_text(body, encoding="utf-8")
    return {"rule-paths": [str(path)]}


def test_existence_flags_whole_words_in_prose_only(tmp_path):
    cfg = _cfg(tmp_path, "code: ACME001\nname: no-very\ntype: existence\nmessage: \"Avoid '{match}'\"\n"
                         "tokens: [very, at this point in time]\n")
    text = "It was Very cold. Every day, at this\npoint in time, `very` much so.\n"
    from conftest import diagnostics

    doc, diags = diagnostics(text, path="a.md", config=cfg, select=["ACME001"])
    assert [(*doc.position(d.span.start), d.code, d.message) for d in diags] == [
        (1, 8, "ACME001", "Avoid 'Very'"),
        (1, 30, "ACME001", "Avoid 'at this\npoint in time'"),
    ]


def test_substitution_keeps_case_and_fixes(tmp_path):
    cfg = _cfg(tmp_path, "code: ACME002\nname: plain-words\ntype: substitution\n"
                         "swap: {utilize: use, in order to: to}\n")
    text = "Utilize it. We UTILIZE it in order to win.\n"
    assert lint(text, config=cfg, select=["ACME002"]) == [(1, 1, "ACME002"), (1, 16, "ACME002"), (1, 27, "ACME002")]
    assert fix(text, config=cfg, select=["ACME002"]) == "Use it. We USE it to win.\n"


def test_substitution_with_regex(tmp_path):
    cfg = _cfg(tmp_path, "code: ACME003\nname: e-mail\ntype: substitution\nregex: true\n"
                         "swap: {'e[- ]?mail': email}\n")
    assert fix("Send an e-mail or an E mail.\n", config=cfg, select=["ACME003"]) == "Send an email or an Email.\n"


def test_consistency_keeps_the_first_spelling(tmp_path):
    cfg = _cfg(tmp_path, "code: ACME004\nname: adviser\ntype: consistency\neither: {adviser: advisor}\n")
    text = "The advisor said no. The adviser agreed. Advisors met.\n"
    assert lint(text, config=cfg, select=["ACME004"]) == [(1, 26, "ACME004")]
    assert fix(text, config=cfg, select=["ACME004"]) == text  # unsafe by default
    assert fix(text, config=cfg, select=["ACME004"], unsafe=True) == "The advisor said no. The advisor agreed. Advisors met.\n"


def test_rules_can_be_off_by_default_and_selected_by_name(tmp_path):
    cfg = _cfg(tmp_path, "code: ACME005\nname: no-very\ntype: existence\ndefault: false\ntokens: [very]\n")
    assert lint("It was very cold.\n", config=cfg) == []
    assert lint("It was very cold.\n", config=cfg, select=["no-very"]) == [(1, 8, "ACME005")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("code: ACME001\nname: x\ntype: existance\ntokens: [a]\n", "key 'type': must be one of existence"),
        ("code: ACME001\nname: x\ntype: existence\ntokens: [a]\nswap: {a: b}\n", "key 'swap': unknown key for a existence rule"),
        ("code: acme1\nname: x\ntype: existence\ntokens: [a]\n", "key 'code': must be 2-6 capital letters"),
        ("code: WS901\nname: x\ntype: existence\ntokens: [a]\n", "key 'code': the family WS is artlint's own"),
        ("code: ACME001\nname: Not Kebab\ntype: existence\ntokens: [a]\n", "key 'name': must be kebab-case"),
        ("code: ACME001\nname: multiple-spaces\ntype: existence\ntokens: [a]\n", "already a built-in rule"),
        ("code: ACME001\nname: x\ntype: existence\ntokens: []\n", "key 'tokens': must be a non-empty list"),
        ("code: ACME001\nname: x\ntype: substitution\nswap: [a]\n", "key 'swap': must be a non-empty map"),
        ("code: ACME001\nname: x\ntype: existence\nregex: true\ntokens: ['(']\n", "key 'tokens': invalid regular expression"),
        ("code: ACME001\nname: x\ntype: existence\nmessage: '{nope}'\ntokens: [a]\n", "key 'message': bad placeholder"),
        ("code: ACME001\nname: x\ntype: existence\nseverity: loud\ntokens: [a]\n", "key 'severity'"),
        ("code: ACME001\nname: x\ntype: existence\nignorecase: maybe\ntokens: [a]\n", "key 'ignorecase': must be true or false"),
        ("code: [oops\n", "invalid YAML (line 2)"),
        ("- just a string\n", "a rule must be a mapping"),
    ],
)
def test_malformed_rule_files_name_the_file_and_key(tmp_path, body, message):
    cfg = _cfg(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        lint("text\n", config=cfg)
    assert str(tmp_path / "house.yaml") in str(info.value)
    assert message in str(info.value)


def test_two_rules_with_one_code_are_an_error(tmp_path):
    cfg = _cfg(tmp_path, "- {code: ACME001, name: a, type: existence, tokens: [x]}\n"
                         "- {code: ACME001, name: b, type: existence, tokens: [y]}\n")
    with pytest.raises(ConfigError, match="ACME001 is registered twice"):
        lint("text\n", config=cfg)


def test_a_folder_of_rule_files(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.yaml").write_text("{code: ACME001, name: a, type: existence, tokens: [foo]}\n")
    (tmp_path / "r" / "b.yml").write_text("{code: ACME002, name: b, type: existence, tokens: [bar]}\n")
    (tmp_path / "r" / "notes.txt").write_text("not a rule")
    assert lint("foo bar\n", config={"rule-paths": [str(tmp_path / "r")]}, select=["ACME"]) == [
        (1, 1, "ACME001"), (1, 5, "ACME002")]
