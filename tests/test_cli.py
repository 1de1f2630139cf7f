"""End to end: the ``artlint`` command line (acceptance points)."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "000_651449546ff66d6f.txt"
SEED = ROOT / "seeds" / SEED_NAME
SEED_SHOWN = f"seeds/{SEED_NAME}"

WS001_MESSAGE = "WS001 [*] 2 blank lines in a row; one separates paragraphs"
# One sentence with a safe finding (WS003) and an unsafe one (WS007).
TWO_FINDINGS = b"The cat cat sat  down.\n"


def lines(data: bytes) -> list[str]:
    return data.decode("utf-8").splitlines()


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in proc.stdout
    assert b"Traceback" not in proc.stderr
    assert b"internal error" not in proc.stderr, proc.stderr


# ------------------------------------------------------------------- seed
def test_check_seeds_reports_ws001_at_3_1():
    proc = run_cli("check", "seeds/", cwd=ROOT)
    no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stderr == b""
    out = lines(proc.stdout)
    block = [
        f"{SEED_SHOWN}:3:1: {WS001_MESSAGE}",
        "  |",
        "3 | ",
        "  | ^",
        "  |",
        "  = help: Delete 1 extra blank line",
        "",
    ]
    at = out.index(block[0])
    assert out[at : at + len(block)] == block


def test_the_seed_findings_by_line():
    """What the copy editor found (shared/seeds/*.expected.tsv) for the
    families built so far, at its lines, and nothing on other lines."""
    proc = run_cli("check", "-q", "--output-format", "concise", "seeds/", cwd=ROOT)
    assert lines(proc.stdout) == [
        f"{SEED_SHOWN}:1:90: HL003 [*] The headline ends with a full stop",
        f"{SEED_SHOWN}:3:1: {WS001_MESSAGE}",
        f"{SEED_SHOWN}:22:1: HL001 [*] The headline is repeated here (word for word)",
        f"{SEED_SHOWN}:26:223: QT002 [-] An opening quotation mark where the closing one belongs",
        f"{SEED_SHOWN}:26:249: AT002 [-] 'Sergey Lavrov' is written 'Sergei Lavrov' earlier",
        f"{SEED_SHOWN}:30:188: AT001 [-] 'Blinken added.' dangles after a quotation already attributed to Blinken",
        f"{SEED_SHOWN}:34:1: BP003 A short line that shares no word or name with the story around it",
        f"{SEED_SHOWN}:36:218: AT001 [-] 'Lavrov.' dangles after a quotation already attributed to Lavrov",
        f"{SEED_SHOWN}:40:1: AT003 The quotation is attributed to the president, but speaks of 'President Putin'"
        " in the third person; perhaps Sergei Lavrov (named in the paragraph before)",
        f"{SEED_SHOWN}:42:1: BP001 [*] Boilerplate (related content): 'More To Read:'",
        f"{SEED_SHOWN}:50:144: BP002 [*] Boilerplate link text at the end of a paragraph: 'Read more'",
        f"{SEED_SHOWN}:58:1: BP001 [*] Boilerplate (comment form): 'Leave A Reply'",
        f"{SEED_SHOWN}:60:1: BP001 [*] Boilerplate (comment form): 'Your email address will not be published.'",
    ]


def test_fix_on_the_seed_removes_exactly_the_defects(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SEED, copy)
    original = SEED.read_text(encoding="utf-8").split("\n")
    proc = run_cli("check", "--fix", "seed.txt", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1  # the AT findings' fixes are unsafe: they remain
    fixed = copy.read_text(encoding="utf-8").split("\n")
    removed = {3, 22, 23, 42, 43, 57, 58, 59, 60}  # 1-based; with one blank line each
    expected = [line for n, line in enumerate(original, 1) if n not in removed]
    expected[0] = expected[0].rstrip(".")  # HL003: the headline's full stop
    expected[expected.index(next(x for x in expected if x.endswith("in a statement. Read more")))] = (
        next(x for x in expected if x.endswith("in a statement. Read more"))[: -len(" Read more")]
    )
    assert fixed == expected
    again = run_cli("check", "--fix", "seed.txt", cwd=tmp_path)
    assert again.returncode == 1
    assert copy.read_text(encoding="utf-8").split("\n") == expected


def test_unsafe_fix_on_the_seed_repairs_quotes_and_attributions(tmp_path):
    """--fix --unsafe-fixes: on top of the safe fixes, line 26's quotation is
    closed (and Sergey becomes the first spelling, Sergei), the two dangling
    attributions on lines 30 and 36 go; every other line is as it was."""
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SEED, copy)
    original = SEED.read_text(encoding="utf-8").split("\n")
    proc = run_cli("check", "--fix", "--unsafe-fixes", "-q", "seed.txt", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1  # BP003 and AT003 have no fix
    changed = dict(enumerate(original, 1))
    changed[1] = changed[1].rstrip(".")
    changed[26] = changed[26].replace("in our submission “Russian Foreign Minister Sergey Lavrov",
                                      "in our submission,” Russian Foreign Minister Sergei Lavrov")
    changed[30] = changed[30].removesuffix(" Blinken added.")
    changed[36] = changed[36].removesuffix(" Lavrov.")
    changed[50] = changed[50].removesuffix(" Read more")
    removed = {3, 22, 23, 42, 43, 57, 58, 59, 60}
    expected = [line for n, line in changed.items() if n not in removed]
    for n in (26, 30, 36, 50):
        assert changed[n] != original[n - 1]
    assert copy.read_text(encoding="utf-8").split("\n") == expected
    run_cli("check", "--fix", "--unsafe-fixes", "-q", "seed.txt", cwd=tmp_path)
    assert copy.read_text(encoding="utf-8").split("\n") == expected


def test_fix_select_ws_on_a_copy_of_the_seed(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SEED, copy)
    before = copy.read_text(encoding="utf-8").splitlines(keepends=True)

    proc = run_cli("check", "--fix", "--select", "WS", "seed.txt", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 0
    assert lines(proc.stdout) == ["Found 1 finding (1 fixed, 0 remaining)."]

    after = copy.read_text(encoding="utf-8").splitlines(keepends=True)
    diff = list(difflib.unified_diff(before, after, "a", "b", n=0))
    removed = [d for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d for d in diff if d.startswith("+") and not d.startswith("+++")]
    assert removed == ["-\n"]
    assert added == []
    # Lines 2 and 3 are both blank: the text is the seed without its line 3.
    assert before[1] == before[2] == "\n"
    assert after == before[:2] + before[3:]

    again = run_cli("check", "--fix", "--select", "WS", "seed.txt", cwd=tmp_path)
    no_traceback(again)
    assert again.returncode == 0
    assert lines(again.stdout) == ["All checks passed!"]
    assert copy.read_text(encoding="utf-8").splitlines(keepends=True) == after


# ----------------------------------------------------------------- output
def test_output_format_json_shape(tmp_path):
    (tmp_path / "j.txt").write_bytes(TWO_FINDINGS)
    (tmp_path / "bad.txt").write_bytes(b"Caf\xe9.\n")  # XX001: a finding without a fix
    proc = run_cli("check", "--output-format", "json", "bad.txt", "j.txt", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stderr == b""
    items = json.loads(proc.stdout)
    assert len(items) == 3

    top = {"filename", "code", "message", "severity", "location", "end_location", "fix", "url"}
    pos = {"row", "column"}
    for item in items:
        assert set(item) == top
        assert set(item["location"]) == pos
        assert set(item["end_location"]) == pos
        assert item["url"] is None
        if item["fix"] is not None:
            assert set(item["fix"]) == {"applicability", "message", "edits"}
            assert item["fix"]["edits"]
            for edit in item["fix"]["edits"]:
                assert set(edit) == {"content", "location", "end_location"}
                assert set(edit["location"]) == pos
                assert set(edit["end_location"]) == pos

    assert items == [
        {
            "filename": "bad.txt", "code": "XX001",
            "message": "not valid UTF-8 (byte 0xe9); save the file as UTF-8", "severity": "error",
            "location": {"row": 1, "column": 4}, "end_location": {"row": 1, "column": 4},
            "fix": None, "url": None,
        },
        {
            "filename": "j.txt", "code": "WS007", "message": "Repeated word 'cat'", "severity": "warning",
            "location": {"row": 1, "column": 5}, "end_location": {"row": 1, "column": 12},
            "fix": {"applicability": "unsafe", "message": "Remove the second 'cat'", "edits": [
                {"content": "", "location": {"row": 1, "column": 8}, "end_location": {"row": 1, "column": 12}},
            ]},
            "url": None,
        },
        {
            "filename": "j.txt", "code": "WS003", "message": "2 spaces where one belongs", "severity": "warning",
            "location": {"row": 1, "column": 16}, "end_location": {"row": 1, "column": 18},
            "fix": {"applicability": "safe", "message": "Replace with one space", "edits": [
                {"content": " ", "location": {"row": 1, "column": 16}, "end_location": {"row": 1, "column": 18}},
            ]},
            "url": None,
        },
    ]


def test_diff_prints_unified_diff_and_writes_nothing(tmp_path):
    art = tmp_path / "j.txt"
    art.write_bytes(TWO_FINDINGS)
    proc = run_cli("check", "--diff", "j.txt", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == [
        "--- a/j.txt",
        "+++ b/j.txt",
        "@@ -1 +1 @@",
        "-The cat cat sat  down.",
        "+The cat cat sat down.",
    ]
    assert lines(proc.stderr) == ["Would apply 1 fix to 1 file."]
    assert art.read_bytes() == TWO_FINDINGS

    clean = tmp_path / "clean.txt"
    clean.write_bytes(b"Nothing to fix here.\n")
    proc = run_cli("check", "--diff", "clean.txt", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 0
    assert proc.stdout == b""
    assert lines(proc.stderr) == ["No fixes to apply."]
    assert clean.read_bytes() == b"Nothing to fix here.\n"


def test_statistics():
    proc = run_cli("check", "--statistics", "--select", "WS", "seeds/", cwd=ROOT)
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == ["1\tWS001\t[*] multiple-blank-lines"]


def test_exit_zero():
    proc = run_cli("check", "--exit-zero", "--select", "WS", "--output-format", "concise", "seeds/", cwd=ROOT)
    no_traceback(proc)
    assert proc.returncode == 0
    assert lines(proc.stdout) == [
        f"{SEED_SHOWN}:3:1: {WS001_MESSAGE}",
        "Found 1 finding.",
        "[*] 1 fixable with the `--fix` option.",
    ]


def test_concise_quiet_has_no_summary():
    proc = run_cli("check", "-q", "--select", "WS", "--output-format", "concise", "seeds/", cwd=ROOT)
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == [f"{SEED_SHOWN}:3:1: {WS001_MESSAGE}"]


def test_ignore_ws001_on_the_seed():
    proc = run_cli("check", "--select", "WS", "--ignore", "WS001", "seeds/", cwd=ROOT)
    no_traceback(proc)
    assert proc.returncode == 0
    assert lines(proc.stdout) == ["All checks passed!"]


def test_select_by_rule_name(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Some  text.\n\n\nMore text.\n")
    proc = run_cli("check", "--select", "multiple-blank-lines", "--output-format", "concise", "a.txt",
                   cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == [
        f"a.txt:3:1: {WS001_MESSAGE}",
        "Found 1 finding.",
        "[*] 1 fixable with the `--fix` option.",
    ]


def test_fail_level_error(tmp_path):
    (tmp_path / "warn.txt").write_bytes(b"Some  text.\n")
    proc = run_cli("check", "--fail-level", "error", "--output-format", "concise", "warn.txt", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 0  # a warning does not fail at level error
    assert lines(proc.stdout) == [
        "warn.txt:1:5: WS003 [*] 2 spaces where one belongs",
        "Found 1 finding.",
        "[*] 1 fixable with the `--fix` option.",
    ]
    # An error (XX001) still fails at level error.
    (tmp_path / "err.txt").write_bytes(b"Caf\xe9.\n")
    proc = run_cli("check", "--fail-level", "error", "-q", "--output-format", "concise", "err.txt",
                   cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == ["err.txt:1:4: XX001 not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout == b"artlint 0.1.0\n"
    script = Path(sys.executable).parent / "artlint"
    if script.exists():  # the installed console script says the same
        out = subprocess.run([str(script), "--version"], capture_output=True, timeout=60)
        assert out.returncode == 0
        assert out.stdout == b"artlint 0.1.0\n"


# ------------------------------------------------------------------ rules
# Regression: `rules` and `rule` once crashed ("internal error: AttributeError:
# 'Namespace' object has no attribute 'select'"); no_traceback() rejects that.
def test_rules_lists_ws001():
    proc = run_cli("rules")
    no_traceback(proc)
    assert proc.returncode == 0
    rows = [line.split()[:2] for line in lines(proc.stdout)]
    assert ["WS001", "multiple-blank-lines"] in rows


def test_rule_ws001_prints_its_documentation():
    proc = run_cli("rule", "WS001")
    no_traceback(proc)
    assert proc.returncode == 0
    out = lines(proc.stdout)
    assert out[0] == "# multiple-blank-lines (WS001)"
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in out


def test_rule_unknown_is_a_one_line_error():
    proc = run_cli("rule", "NOPE")
    no_traceback(proc)
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert lines(proc.stderr) == ["artlint: error: unknown rule 'NOPE' (see `artlint rules`)"]


# ----------------------------------------------------------------- colour
def test_no_color_means_no_escape_codes(tmp_path):
    (tmp_path / "j.txt").write_bytes(TWO_FINDINGS)
    proc = run_cli("check", "j.txt", cwd=tmp_path, env={"FORCE_COLOR": "1"})  # NO_COLOR=1 wins
    no_traceback(proc)
    assert proc.returncode == 1
    assert b"\x1b" not in proc.stdout
    assert b"\x1b" not in proc.stderr


def test_force_color_gives_ansi_codes(tmp_path):
    (tmp_path / "j.txt").write_bytes(TWO_FINDINGS)
    proc = run_cli("check", "--output-format", "concise", "j.txt", cwd=tmp_path,
                   env={"NO_COLOR": "", "FORCE_COLOR": "1"})
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout)[:2] == [
        "\x1b[1mj.txt\x1b[0m:1:5: \x1b[1;33mWS007\x1b[0m [-] Repeated word 'cat'",
        "\x1b[1mj.txt\x1b[0m:1:16: \x1b[1;33mWS003\x1b[0m [*] 2 spaces where one belongs",
    ]


# ---------------------------------------------------------------- config
ARTICLE = b"Some  text. \n\n\nMore text.\n"  # WS003 1:5, WS002 1:12, WS001 3:1


@pytest.fixture
def config_tree(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.artlint]\nignore = ["WS001"]\nper-file-ignores = {"drafts/*.md" = ["WS"]}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".artlint.toml").write_text('select = ["WS003"]\n', encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    for name in ("top.md", "sub/s.md", "drafts/d.md"):
        (tmp_path / name).write_bytes(ARTICLE)
    (tmp_path / "other.toml").write_text('select = ["WS001"]\n', encoding="utf-8")
    return tmp_path


def test_config_discovery_nearest_file_wins(config_tree):
    proc = run_cli("check", "-q", "--output-format", "concise", ".", cwd=config_tree)
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == [
        # drafts/d.md: silenced by per-file-ignores; sub/: only WS003; top: no WS001.
        "sub/s.md:1:5: WS003 [*] 2 spaces where one belongs",
        "top.md:1:5: WS003 [*] 2 spaces where one belongs",
        "top.md:1:12: WS002 [*] Trailing whitespace",
    ]


def test_config_discovery_from_a_subfolder(config_tree):
    proc = run_cli("check", "-q", "--output-format", "concise", "s.md", cwd=config_tree / "sub")
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == ["s.md:1:5: WS003 [*] 2 spaces where one belongs"]


def test_explicit_config_overrides_discovery(config_tree):
    proc = run_cli("check", "-q", "--output-format", "concise", "--config", "other.toml", ".", cwd=config_tree)
    no_traceback(proc)
    assert proc.returncode == 1
    assert lines(proc.stdout) == [
        f"drafts/d.md:3:1: {WS001_MESSAGE}",
        f"sub/s.md:3:1: {WS001_MESSAGE}",
        f"top.md:3:1: {WS001_MESSAGE}",
    ]


def test_per_file_ignores_silences_drafts(config_tree):
    proc = run_cli("check", "drafts/d.md", "top.md", "-q", "--output-format", "concise", cwd=config_tree)
    no_traceback(proc)
    assert proc.returncode == 1
    out = lines(proc.stdout)
    assert out == [
        "top.md:1:5: WS003 [*] 2 spaces where one belongs",
        "top.md:1:12: WS002 [*] Trailing whitespace",
    ]
    assert not any(line.startswith("drafts/") for line in out)


def test_force_exclude_applies_exclude_to_named_files(tmp_path):
    (tmp_path / "artlint.toml").write_text('extend-exclude = ["generated"]\n', encoding="utf-8")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "feed.md").write_text("The council  met.\n", encoding="utf-8")
    named = run_cli("check", "--output-format", "concise", "generated/feed.md", cwd=tmp_path)
    assert named.returncode == 1
    assert named.stdout.decode().splitlines()[0] == "generated/feed.md:1:12: WS003 [*] 2 spaces where one belongs"
    forced = run_cli("check", "--force-exclude", "generated/feed.md", cwd=tmp_path)
    assert (forced.returncode, forced.stdout.decode()) == (0, "All checks passed!\n")


def test_duplicate_headlines_across_files_name_each_other(tmp_path):
    (tmp_path / "a.txt").write_text("Council Votes to Close the Library\n\nThe council met.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Council votes to close the library!\n\nAnother story.\n", encoding="utf-8")
    (tmp_path / "c.md").write_text('---\ntitle: "Council Votes To Close The Library"\n---\n\nText.\n',
                                   encoding="utf-8")
    (tmp_path / "d.txt").write_text("Council Votes to Open the Library\n\nA different story.\n", encoding="utf-8")
    proc = run_cli("check", "--select", "HL002", "--output-format", "concise", "-q", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [
        "a.txt:1:1: HL002 The same headline as b.txt, c.md",
        "b.txt:1:1: HL002 The same headline as a.txt, c.md",
        "c.md:2:9: HL002 The same headline as a.txt, b.txt",
    ]
    ignored = run_cli("check", "--select", "HL002", "--ignore", "duplicate-headline", ".", cwd=tmp_path)
    assert ignored.returncode == 0


def test_quote_rules_repair_the_seed_line_26(tmp_path):
    copy = tmp_path / "seed.txt"
    shutil.copyfile(SEED, copy)
    found = run_cli("check", "--select", "QT", "--output-format", "concise", "-q", "seed.txt", cwd=tmp_path)
    assert lines(found.stdout) == [
        "seed.txt:26:223: QT002 [-] An opening quotation mark where the closing one belongs"]
    run_cli("check", "--select", "QT", "--fix", "--unsafe-fixes", "seed.txt", cwd=tmp_path)
    before = SEED.read_text(encoding="utf-8").split("\n")
    after = copy.read_text(encoding="utf-8").split("\n")
    assert [n for n, (a, b) in enumerate(zip(before, after), 1) if a != b] == [26]
    assert after[25].endswith("in our submission,” Russian Foreign Minister Sergey Lavrov stated this.")


def test_the_command_ends_quickly_with_its_output_and_status_intact(tmp_path):
    """``artlint`` (cli.run) skips freeing objects at exit: what it printed
    still arrives whole, and the status is main()'s."""
    for i in range(30):
        (tmp_path / f"{i:02d}.txt").write_text(f"Story {i}\n\nIt  rained on the town.   Read more\n", encoding="utf-8")
    proc = run_cli("check", "--no-cache", "--output-format", "json", "-j", "1", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    assert len(found) == 30 * 3 and {f["code"] for f in found} == {"WS003", "BP002"}
    clean = run_cli("check", "--no-cache", "--select", "HL003", ".", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, b"All checks passed!\n")
