"""End to end: artlint on bad, odd and hostile input (one table, one test).

Each row creates its input in ``tmp_path``, runs ``python -m artlint`` one or
more times (cwd = ``tmp_path``) and checks the exit status, the exact output,
that no traceback was printed, and that every file is byte-identical
afterwards unless the row says which bytes ``--fix`` must have written.
"""

from __future__ import annotations

import codecs
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

import pytest

from conftest import run_cli

ALL_PASSED = ["All checks passed!"]


@dataclass
class Run:
    args: tuple[str, ...]
    rc: int
    stdout: list[str] | bytes | None = None  # exact lines, exact bytes, or not checked
    stderr: list[str] | None = None  # exact lines, or not checked
    stdout_has: tuple[str, ...] = ()
    stderr_has: tuple[str, ...] = ()
    stderr_prefix: str | None = None  # stderr is exactly one line starting with this
    input: bytes | None = None
    max_seconds: float | None = None
    max_stdout: int | None = None


@dataclass
class Row:
    setup: Callable[[Path], None]
    runs: list[Run]
    # Files (relative to tmp_path) whose bytes must be these afterwards;
    # every other file must be byte-identical to what setup wrote.
    changed: dict[str, bytes] = field(default_factory=dict)
    extra: Callable[[Path], None] | None = None


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8").splitlines()


def _snapshot(root: Path) -> dict[str, object]:
    """Every entry below ``root``: bytes of regular files, the target of
    symlinks (not followed)."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = ("symlink", os.readlink(p))
            elif p.is_file():
                try:
                    out[rel] = p.read_bytes()
                except OSError:
                    out[rel] = ("unreadable",)
            else:
                out[rel] = ("dir",)
    return out


# ------------------------------------------------------------------ inputs
CLEAN = b"A clean sentence with nothing wrong in it.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
LATIN1 = b"Caf\xe9 au lait.\n"
LATIN1_CRLF = b"One.\r\nTwo.\r\nThree.\r\nCaf\xe9 au lait.\r\n"
UTF16 = codecs.BOM_UTF16_LE + "First line.\nSecond  line here.\n".encode("utf-16-le")
UTF16_FIXED = codecs.BOM_UTF16_LE + "First line.\nSecond line here.\n".encode("utf-16-le")
BOM_CRLF = codecs.BOM_UTF8 + b"First line. \r\nSecond line.\r\n"
BOM_CRLF_FIXED = codecs.BOM_UTF8 + b"First line.\r\nSecond line.\r\n"
MIXED = b"Line one.\r\nLine two.\n\r\n\n\r\nLine  three.\r\nLine four.\n"
MIXED_FIXED = b"Line one.\r\nLine two.\n\r\nLine three.\r\nLine four.\n"
BIG_SIZE = 50_000_000
LONG_HALF = 2_500_000
STDIN = b"Some  text.\n\n\nThe cat cat sat.\n"
STDIN_FIXED = b"Some text.\n\nThe cat cat sat.\n"


def write(name: str, data: bytes) -> Callable[[Path], None]:
    def setup(tmp: Path) -> None:
        p = tmp / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    return setup


def nothing(tmp: Path) -> None:
    pass


def no_articles(tmp: Path) -> None:
    (tmp / "d").mkdir()
    (tmp / "d" / "pic.png").write_bytes(PNG)
    (tmp / "d" / "script.py").write_bytes(b"print('hello')\n")


def big_file(tmp: Path) -> None:
    line = b"word " * 19 + b"word\n"  # 100 bytes
    (tmp / "big.txt").write_bytes(line * (BIG_SIZE // len(line)))


def long_line(tmp: Path) -> None:
    (tmp / "long.txt").write_bytes(b"a" * LONG_HALF + b"  " + b"b" * LONG_HALF + b"\n")


def unreadable(tmp: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read a file with mode 000")
    p = tmp / "secret.txt"
    p.write_bytes(CLEAN)
    p.chmod(0)


def mode_and_symlink(tmp: Path) -> None:
    p = tmp / "target.txt"
    p.write_bytes(b"Some  text.\n")
    p.chmod(0o640)
    (tmp / "link.txt").symlink_to("target.txt")


def check_mode_and_symlink(tmp: Path) -> None:
    assert stat.S_IMODE((tmp / "target.txt").stat().st_mode) == 0o640
    assert (tmp / "link.txt").is_symlink()
    assert os.readlink(tmp / "link.txt") == "target.txt"


def check_unreadable_restored(tmp: Path) -> None:
    (tmp / "secret.txt").chmod(0o644)


ROWS = {
    "missing-path": Row(
        nothing,
        [Run(("check", "nope.md"), 2, stderr=["artlint: error: nope.md: no such file or directory"])],
    ),
    "folder-without-articles": Row(
        no_articles,
        [Run(("check", "d"), 0, stdout=ALL_PASSED,
             stderr=["artlint: warning: d: no articles found (*.md, *.markdown, *.txt)"])],
    ),
    "folder-named-like-an-article": Row(
        write("notes.md/a.txt", CLEAN),
        [Run(("check", "notes.md"), 0, stdout=ALL_PASSED, stderr=[])],
    ),
    "empty-file": Row(
        write("empty.md", b""),
        [Run(("check", "empty.md"), 0, stdout=ALL_PASSED, stderr=[])],
    ),
    "binary-file": Row(
        write("pic.txt", PNG),
        [
            Run(("check", "pic.txt"), 1, stderr=[], stdout=[
                "pic.txt:1:1: XX001 binary file (contains NUL bytes); not checked",
                "",
                "Found 1 finding.",
            ]),
            Run(("check", "--fix", "pic.txt"), 1, stderr=[], stdout=[
                "pic.txt:1:1: XX001 binary file (contains NUL bytes); not checked",
                "",
                "Found 1 finding.",
            ]),
        ],
    ),
    "invalid-utf8-latin1": Row(
        write("lat.txt", LATIN1),
        [
            Run(("check", "lat.txt"), 1, stderr=[], stdout=[
                "lat.txt:1:4: XX001 not valid UTF-8 (byte 0xe9); save the file as UTF-8",
                "  |",
                "1 | Caf\ufffd au lait.",
                "  |    ^",
                "  |",
                "",
                "Found 1 finding.",
            ]),
            Run(("check", "--fix", "--output-format", "concise", "lat.txt"), 1, stderr=[], stdout=[
                "lat.txt:1:4: XX001 not valid UTF-8 (byte 0xe9); save the file as UTF-8",
                "Found 1 finding.",
            ]),
        ],
    ),
    # Regression: the column of an invalid byte after CRLFs once counted the \r characters (4:7).
    "invalid-utf8-latin1-crlf": Row(
        write("latc.txt", LATIN1_CRLF),
        [Run(("check", "--output-format", "concise", "latc.txt"), 1, stderr=[], stdout=[
            "latc.txt:4:4: XX001 not valid UTF-8 (byte 0xe9); save the file as UTF-8",
            "Found 1 finding.",
        ])],
    ),
    "utf16-le-bom": Row(
        write("u16.txt", UTF16),
        [
            Run(("check", "u16.txt"), 1, stderr=[], stdout=[
                "u16.txt:2:7: WS003 [*] 2 spaces where one belongs",
                "  |",
                "2 | Second  line here.",
                "  |       ^^",
                "  |",
                "  = help: Replace with one space",
                "",
                "Found 1 finding.",
                "[*] 1 fixable with the `--fix` option.",
            ]),
            Run(("check", "--fix", "u16.txt"), 0, stderr=[],
                stdout=["Found 1 finding (1 fixed, 0 remaining)."]),
        ],
        changed={"u16.txt": UTF16_FIXED},
    ),
    "utf8-bom-crlf-trailing-space": Row(
        write("bom.txt", BOM_CRLF),
        [
            Run(("check", "--output-format", "concise", "bom.txt"), 1, stderr=[], stdout=[
                "bom.txt:1:12: WS002 [*] Trailing whitespace",
                "Found 1 finding.",
                "[*] 1 fixable with the `--fix` option.",
            ]),
            Run(("check", "--fix", "bom.txt"), 0, stderr=[],
                stdout=["Found 1 finding (1 fixed, 0 remaining)."]),
        ],
        changed={"bom.txt": BOM_CRLF_FIXED},
    ),
    "mixed-crlf-lf-blank-lines": Row(
        write("mixed.txt", MIXED),
        [
            Run(("check", "--output-format", "concise", "mixed.txt"), 1, stderr=[], stdout=[
                "mixed.txt:4:1: WS001 [*] 3 blank lines in a row; one separates paragraphs",
                "mixed.txt:6:5: WS003 [*] 2 spaces where one belongs",
                "Found 2 findings.",
                "[*] 2 fixable with the `--fix` option.",
            ]),
            Run(("check", "--fix", "mixed.txt"), 0, stderr=[],
                stdout=["Found 2 findings (2 fixed, 0 remaining)."]),
        ],
        changed={"mixed.txt": MIXED_FIXED},
    ),
    "file-over-max-size": Row(
        big_file,
        [Run(("check", "big.txt"), 1, stderr=[], max_seconds=5.0, stdout_has=(
            "big.txt:1:1: XX005 File is 50.0 MB, over max-file-size (",
            "); not checked\n\nFound 1 finding.\n",
        ))],
    ),
    "one-5mb-line": Row(
        long_line,
        [Run(("check", "long.txt"), 1, stderr=[], max_stdout=5000, stdout=[
            f"long.txt:1:{LONG_HALF + 1}: WS003 [*] 2 spaces where one belongs",
            "  |",
            "1 | \u2026" + "a" * 50 + "  " + "b" * 48 + "\u2026",
            "  | " + " " * 51 + "^^",
            "  |",
            "  = help: Replace with one space",
            "",
            "Found 1 finding.",
            "[*] 1 fixable with the `--fix` option.",
        ])],
    ),
    "no-read-permission": Row(
        unreadable,
        [Run(("check", "secret.txt"), 1, stderr=[],
             stdout_has=("secret.txt:1:1: XX001 Cannot read file: ", "Found 1 finding."))],
        changed={"secret.txt": CLEAN},  # read back after restoring the mode
        extra=check_unreadable_restored,
    ),
    "fix-keeps-mode-and-symlink": Row(
        mode_and_symlink,
        [Run(("check", "--fix", "link.txt"), 0, stderr=[],
             stdout=["Found 1 finding (1 fixed, 0 remaining)."])],
        changed={"target.txt": b"Some text.\n"},
        extra=check_mode_and_symlink,
    ),
    "unknown-select-code": Row(
        write("a.txt", CLEAN),
        [Run(("check", "--select", "WS999", "a.txt"), 2, stdout=[],
             stderr_prefix="artlint: error: command line: unknown rule selector 'WS999'")],
    ),
    "broken-config": Row(
        lambda tmp: (write("artlint.toml", b"select = [\n")(tmp), write("a.txt", CLEAN)(tmp)),
        [Run(("check", "a.txt"), 2, stdout=[], stderr_prefix="artlint: error: {tmp}/artlint.toml: invalid TOML: ")],
    ),
    "unknown-config-key": Row(
        lambda tmp: (write("artlint.toml", b'selct = ["WS"]\n')(tmp), write("a.txt", CLEAN)(tmp)),
        [Run(("check", "a.txt"), 2, stdout=[], stderr=[
            "artlint: error: {tmp}/artlint.toml: unknown key 'selct' (did you mean 'select'?)",
        ])],
    ),
    "stdin": Row(
        nothing,
        [
            Run(("check", "--select", "WS", "--output-format", "concise", "-"), 1, input=STDIN, stderr=[], stdout=[
                "-:1:5: WS003 [*] 2 spaces where one belongs",
                "-:3:1: WS001 [*] 2 blank lines in a row; one separates paragraphs",
                "-:4:5: WS007 [-] Repeated word 'cat'",
                "Found 3 findings.",
                "[*] 2 fixable with the `--fix` option.",
                "(1 more fixable with `--fix --unsafe-fixes`.)",
            ]),
            Run(("check", "--select", "WS", "--fix", "--output-format", "concise", "-"), 1, input=STDIN, stdout=STDIN_FIXED, stderr=[
                "-:3:5: WS007 [-] Repeated word 'cat'",
                "Found 3 findings (2 fixed, 1 remaining).",
                "(1 more fixable with `--fix --unsafe-fixes`.)",
            ]),
        ],
    ),
}


@pytest.mark.parametrize("row", [pytest.param(row, id=name) for name, row in ROWS.items()])
def test_bad_input(row: Row, tmp_path: Path) -> None:
    tmp = tmp_path.resolve()
    row.setup(tmp)
    before = _snapshot(tmp)

    for run in row.runs:
        started = time.monotonic()
        proc = run_cli(*run.args, cwd=tmp, input=run.input)
        elapsed = time.monotonic() - started
        out, err = proc.stdout, proc.stderr.decode("utf-8")
        context = f"args={run.args}\nstdout={out[:2000]!r}\nstderr={err[:2000]!r}"

        assert b"Traceback" not in out, context
        assert "Traceback" not in err, context
        assert proc.returncode == run.rc, context

        if isinstance(run.stdout, bytes):
            assert out == run.stdout, context
        elif run.stdout is not None:
            assert _lines(out) == run.stdout, context
        text = out.decode("utf-8", "replace")
        for piece in run.stdout_has:
            assert piece in text, context
        if run.stderr is not None:
            assert err.splitlines() == [s.format(tmp=tmp) for s in run.stderr], context
        for piece in run.stderr_has:
            assert piece in err, context
        if run.stderr_prefix is not None:
            lines = err.splitlines()
            assert len(lines) == 1, context
            assert lines[0].startswith(run.stderr_prefix.format(tmp=tmp)), context
        if run.max_seconds is not None:
            assert elapsed < run.max_seconds, f"took {elapsed:.2f}s\n{context}"
        if run.max_stdout is not None:
            assert len(out) < run.max_stdout, context

    if row.extra is not None:
        row.extra(tmp)
    after = _snapshot(tmp)
    expected = dict(before)
    expected.update(row.changed)
    # Same set of entries (no temporary files left behind), same bytes.
    assert sorted(after) == sorted(expected)
    for name in expected:
        assert after[name] == expected[name], f"{name} changed"
