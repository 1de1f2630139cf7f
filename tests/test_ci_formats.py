"""The CI outputs (SARIF, GitHub, GitLab, JUnit, JSON lines), --output-file,
the baseline and the progress bar, asserted on the seed article."""

from __future__ import annotations

import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

SEED_NAME = "000_651449546ff66d6f.txt"
SEED = ROOT / "seeds" / SEED_NAME
SHOWN = f"seeds/{SEED_NAME}"
SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0-rtm.5.json"

# (line, column, end line, end column, code, severity, message) of every
# finding on the seed with the default rules, in order.
SEED_FINDINGS = [
    (1, 90, 1, 91, "HL003", "info", "The headline ends with a full stop"),
    (3, 1, 4, 1, "WS001", "warning", "2 blank lines in a row; one separates paragraphs"),
    (22, 1, 22, 91, "HL001", "error", "The headline is repeated here (word for word)"),
    (26, 223, 26, 224, "QT002", "error", "An opening quotation mark where the closing one belongs"),
    (26, 249, 26, 255, "AT002", "warning", "'Sergey Lavrov' is written 'Sergei Lavrov' earlier"),
    (30, 188, 30, 202, "AT001", "error", "'Blinken added.' dangles after a quotation already attributed to Blinken"),
    (34, 1, 34, 37, "BP003", "info", "A short line that shares no word or name with the story around it"),
    (36, 218, 36, 225, "AT001", "error", "'Lavrov.' dangles after a quotation already attributed to Lavrov"),
    (40, 1, 40, 22, "AT003", "warning", "The quotation is attributed to the president, but speaks of "
     "'President Putin' in the third person; perhaps Sergei Lavrov (named in the paragraph before)"),
    (42, 1, 42, 14, "BP001", "error", "Boilerplate (related content): 'More To Read:'"),
    (50, 144, 50, 153, "BP002", "error", "Boilerplate link text at the end of a paragraph: 'Read more'"),
    (58, 1, 58, 14, "BP001", "error", "Boilerplate (comment form): 'Leave A Reply'"),
    (60, 1, 60, 42, "BP001", "error", "Boilerplate (comment form): 'Your email address will not be published.'"),
]


def check(*args: str, cwd: Path = ROOT):
    return run_cli("check", *args, cwd=cwd)


def test_github_annotations_on_the_seed():
    proc = check("--output-format", "github", "seeds/")
    assert proc.returncode == 1
    level = {"error": "error", "warning": "warning", "info": "notice"}
    assert proc.stdout.decode().splitlines() == [
        f"::{level[sev]} file={SHOWN},line={line},col={col},endLine={el},endColumn={ec},title={code}::{message}"
        for line, col, el, ec, code, sev, message in SEED_FINDINGS
    ]
    assert proc.stderr == b""


def test_github_escapes_workflow_command_characters(tmp_path):
    (tmp_path / "a,b.md").write_text("100%  sure.\n", encoding="utf-8")
    proc = check("--output-format", "github", "--select", "WS003", "a,b.md", cwd=tmp_path)
    assert proc.stdout.decode() == (
        "::warning file=a%2Cb.md,line=1,col=5,endLine=1,endColumn=7,title=WS003::2 spaces where one belongs\n")


def test_gitlab_code_quality_on_the_seed():
    proc = check("--output-format", "gitlab", "seeds/")
    assert proc.returncode == 1
    got = json.loads(proc.stdout)
    severity = {"error": "major", "warning": "minor", "info": "info"}
    # Fingerprints are part of the format's contract: GitLab matches
    # findings across pipelines by them, so they must not drift.
    fingerprints = [
        "68e4f785f2f7c9bc1f5269eb91211d50-0", "a0d983c4c68491b82b02aa419b60f6d8-0",
        "c27dfb55f52faad54086b0274c220ff5-0", "18b9e70cd47416b65228f2f33ff2f197-0",
        "782a9069ee261f284fc8c6ec9f9ac3c1-0", "cbbfb6d05e1590e397d9e7fec334d202-0",
        "b3c607fd70ddd70579a26a0c2a7d6d72-0", "e1786dbd9f88f269a6aa4a07ee4dcd16-0",
        "c6c7aa478952ff7da12f917136d4688c-0", "46de671b79c3494d200f8b9650efab1e-0",
        "36194ffb5dd3f1ef1ecfe29681914ccf-0", "74d997b86025e4c6d23c95c30ee1ea66-0",
        "7fa7ccf6fc10bea840643597a9bccbb7-0",
    ]
    assert got == [
        {
            "type": "issue",
            "check_name": code,
            "description": f"{code} {message}",
            "categories": ["Style"],
            "severity": severity[sev],
            "fingerprint": fp,
            "location": {"path": SHOWN, "positions": {"begin": {"line": line, "column": col},
                                                      "end": {"line": el, "column": ec}}},
        }
        for (line, col, el, ec, code, sev, message), fp in zip(SEED_FINDINGS, fingerprints)
    ]


def test_gitlab_fingerprints_survive_edits_elsewhere(tmp_path):
    """Lines added above a finding move it, but its fingerprint stays; two
    identical findings get distinct ones."""
    story = "Storm Closes Coastal Road\n\nThe road was shut on Monday after a landslip near the harbour.\n\n"
    (tmp_path / "a.md").write_text(story + "Leave A Reply\n\nLeave A Reply\n", encoding="utf-8")
    first = json.loads(check("--output-format", "gitlab", "--select", "BP001", "a.md", cwd=tmp_path).stdout)
    (tmp_path / "a.md").write_text(story + "A new paragraph about the detour.\n\nLeave A Reply\n\nLeave A Reply\n",
                                   encoding="utf-8")
    second = json.loads(check("--output-format", "gitlab", "--select", "BP001", "a.md", cwd=tmp_path).stdout)
    assert [i["location"]["positions"]["begin"]["line"] for i in first] == [5, 7]
    assert [i["location"]["positions"]["begin"]["line"] for i in second] == [7, 9]
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in second]
    assert len({i["fingerprint"] for i in first}) == 2


def test_junit_on_the_seed_and_a_clean_file(tmp_path):
    shutil.copyfile(SEED, tmp_path / "seed.txt")
    (tmp_path / "clean.md").write_text("# Clean Article\n\nNothing to see here.\n", encoding="utf-8")
    proc = check("--output-format", "junit", ".", cwd=tmp_path)
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    assert (root.tag, root.attrib) == ("testsuites", {"name": "artlint", "tests": "14", "failures": "13", "errors": "0"})
    suites = list(root)
    assert [(s.tag, s.attrib) for s in suites] == [
        ("testsuite", {"name": "clean.md", "tests": "1", "failures": "0", "errors": "0"}),
        ("testsuite", {"name": "seed.txt", "tests": "13", "failures": "13", "errors": "0"}),
    ]
    assert [(c.attrib, list(c)) for c in suites[0]] == [({"name": "artlint", "classname": "clean.md"}, [])]
    cases = list(suites[1])
    assert [c.attrib for c in cases] == [
        {"name": f"{code} at {line}:{col}", "classname": "seed.txt"} for line, col, _, _, code, _, _ in SEED_FINDINGS]
    assert [(f.attrib, f.text) for c in cases for f in c] == [
        ({"message": message, "type": code}, f"seed.txt:{line}:{col}: {code} {message}")
        for line, col, _, _, code, _, message in SEED_FINDINGS
    ]


def test_sarif_on_the_seed_validates_against_the_2_1_0_schema():
    jsonschema = pytest.importorskip("jsonschema")
    proc = check("--output-format", "sarif", "seeds/")
    assert proc.returncode == 1
    log = json.loads(proc.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({f[4] for f in SEED_FINDINGS})
    bp001 = rules[[r["id"] for r in rules].index("BP001")]
    assert bp001["name"] == "boilerplate-line"
    assert bp001["defaultConfiguration"] == {"level": "error"}
    assert bp001["help"]["markdown"].startswith("## What it does")
    level = {"error": "error", "warning": "warning", "info": "note"}
    assert [(r["ruleId"], r["level"], r["message"]["text"],
             r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]] == [
        (code, level[sev], message, SHOWN, {"startLine": line, "startColumn": col, "endLine": el, "endColumn": ec})
        for line, col, el, ec, code, sev, message in SEED_FINDINGS
    ]
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    # The safe fix for "Read more" (line 50) deletes the fragment and the space before it.
    read_more = run["results"][10]
    assert read_more["fixes"] == [{
        "description": {"text": "Remove the fragment (safe)"},
        "artifactChanges": [{
            "artifactLocation": {"uri": SHOWN, "uriBaseId": "%SRCROOT%"},
            "replacements": [{"deletedRegion": {"startLine": 50, "startColumn": 143, "endLine": 50, "endColumn": 153}}],
        }],
    }]


def test_json_lines_match_json():
    lines = check("--output-format", "json-lines", "seeds/").stdout.decode().splitlines()
    whole = json.loads(check("--output-format", "json", "seeds/").stdout)
    assert [json.loads(line) for line in lines] == whole
    assert len(lines) == len(SEED_FINDINGS)


def test_json_lines_are_written_as_files_finish(tmp_path, monkeypatch, capsys):
    """Each file's findings are on standard output before the next file is
    checked; the cross-file findings (HL002) follow at the end."""
    from artlint import cli, runner

    (tmp_path / "a.md").write_text("# Same Title Here\n\nLeave A Reply\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Same Title Here\n\nFine text.\n", encoding="utf-8")
    seen_before: list[str] = []
    real = runner.check_path

    def spy(path, *args, **kwargs):
        seen_before.append(capsys.readouterr().out)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runner, "check_path", spy)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--no-cache", "-j", "1", "--output-format", "json-lines",
                     "--select", "BP001,HL002", "."]) == 1
    rest = capsys.readouterr().out
    assert seen_before[0] == ""
    assert [json.loads(x)["code"] for x in seen_before[1].splitlines()] == ["BP001"]  # a.md, before b.md
    assert [(json.loads(x)["filename"], json.loads(x)["code"]) for x in rest.splitlines()] == [
        ("a.md", "HL002"), ("b.md", "HL002")]


def test_output_file(tmp_path):
    out = tmp_path / "report.sarif"
    proc = check("--output-format", "sarif", "--output-file", str(out), "seeds/")
    assert proc.returncode == 1
    assert proc.stdout == b""
    assert len(json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]) == len(SEED_FINDINGS)
    bad = check("--output-file", str(tmp_path / "no" / "such" / "dir" / "r.txt"), "seeds/")
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("artlint: error: cannot write ")


def test_baseline_accepts_old_findings_and_fails_on_new_ones(tmp_path):
    seed = tmp_path / "seed.txt"
    shutil.copyfile(SEED, seed)
    first = check("--baseline", "baseline.json", "seed.txt", cwd=tmp_path)
    assert first.returncode == 0
    assert first.stderr.decode() == "artlint: recorded 13 findings in the baseline baseline.json\n"
    assert json.loads((tmp_path / "baseline.json").read_text())["artlint-baseline"] == 1
    again = check("--baseline", "baseline.json", "seed.txt", cwd=tmp_path)
    assert again.returncode == 0
    assert again.stdout.decode() == "All checks passed!\n(13 findings in the baseline not shown.)\n"
    # A new boilerplate paragraph near the top moves every old finding down.
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines[5:5] = ["Subscribe to our newsletter", ""]  # after the first paragraph (line 4)
    seed.write_text("\n".join(lines), encoding="utf-8")
    new = check("--baseline", "baseline.json", "--output-format", "concise", "-q", "seed.txt", cwd=tmp_path)
    assert new.returncode == 1
    assert new.stdout.decode() == (
        "seed.txt:6:1: BP001 [*] Boilerplate (newsletter and paywall): 'Subscribe to our newsletter'\n")


def test_baseline_errors(tmp_path):
    shutil.copyfile(SEED, tmp_path / "seed.txt")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    bad = check("--baseline", "bad.json", "seed.txt", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("artlint: error: baseline bad.json is not valid JSON")
    (tmp_path / "other.json").write_text('{"findings": []}', encoding="utf-8")
    other = check("--baseline", "other.json", "seed.txt", cwd=tmp_path)
    assert other.stderr.decode() == "artlint: error: other.json is not an artlint baseline (version 1)\n"
    alone = check("--update-baseline", "seed.txt", cwd=tmp_path)
    assert alone.stderr.decode() == "artlint: error: --update-baseline needs --baseline FILE\n"


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from artlint import cli

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    for stream, shown in ((Tty(), True), (io.StringIO(), False)):
        monkeypatch.setattr(cli.sys, "stderr", stream)
        progress = cli._Progress(40, enabled=True)
        for _ in range(40):
            progress.step(2)
        progress.close()
        text = stream.getvalue()
        if shown:
            assert "\r[########################] 40/40 files, 80 findings" in text
            assert text.endswith("\r" + " " * len("[########################] 40/40 files, 80 findings") + "\r")
        else:
            assert text == ""


def test_rules_reference_is_current():
    """docs/rules.md is what `artlint rules --output-format markdown` prints."""
    proc = run_cli("rules", "--output-format", "markdown", cwd=ROOT)
    assert proc.returncode == 0
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == proc.stdout.decode(), (
        "docs/rules.md is stale: run `artlint rules --output-format markdown > docs/rules.md`")
