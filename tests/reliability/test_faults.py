"""Faults while `artlint check --fix` writes files: a run killed at random
points, a file changed, deleted or made read-only between read and write, a
full disk, two runs fixing the same files at once. Every file ends wholly old
or wholly new, nothing newer is overwritten, and each fault is reported
(a warning on stderr and XX008, exit status 1)."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from artlint import cli, runner
from artlint.config import Layer, build_settings
from artlint.files import TMP_SUFFIX, atomic_write, walk_articles

from conftest import ROOT, _cache_dir, run_cli

SEED = (ROOT / "seeds" / "000_651449546ff66d6f.txt").read_text(encoding="utf-8")
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="signals, flock and /proc are POSIX")


def _article(i: int, rng: random.Random) -> bytes:
    """The seed article made unique (no HL002 across files) with fixable
    defects: a headline full stop, doubled blank lines and spaces."""
    lines = SEED.splitlines()
    lines[0] = f"Talks on Ukraine, part {i}, agreed to continue."
    body = []
    for line in lines[1:]:
        words = line.split(" ")
        if len(words) > 6 and rng.random() < 0.5:
            k = rng.randrange(1, len(words) - 1)
            words[k] = words[k] + " "  # a doubled space (WS003)
        body.append(" ".join(words))
    return ("\n".join([lines[0], *body]) + "\n").encode("utf-8")


def _make(folder: Path, n: int, seed: int = 1) -> dict[str, bytes]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    originals = {}
    for i in range(n):
        name = f"a{i:03d}.txt"
        originals[name] = _article(i, rng)
        (folder / name).write_bytes(originals[name])
    return originals


def _fixed_versions(tmp: Path, originals: dict[str, bytes]) -> dict[str, bytes]:
    """The fully fixed bytes of each file, from a clean run on a copy."""
    ref = tmp / "reference"
    ref.mkdir()
    for name, data in originals.items():
        (ref / name).write_bytes(data)
    proc = run_cli("check", "--fix", "--no-cache", "-q", "-j", "2", str(ref))
    assert proc.returncode in (0, 1), proc.stderr
    fixed = {name: (ref / name).read_bytes() for name in originals}
    assert all(fixed[n] != originals[n] for n in originals), "every article has something to fix"
    return fixed


def _env() -> dict:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env.update(NO_COLOR="1", ARTLINT_CACHE_DIR=_cache_dir())
    return env


def _fix_proc(folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "artlint", "check", "--fix", "--no-cache", "-q", "-j", "2", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), start_new_session=True,
    )


def _group_alive(pgid: int) -> bool:
    """A process of group ``pgid`` that is not yet a zombie (Linux /proc)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _walk(folder: Path) -> list[str]:
    s = build_settings({}, folder, None, Layer())
    return [p.name for p in walk_articles(folder, s.is_excluded)]


@POSIX_ONLY
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the workers die")
def test_sigkill_at_random_points_leaves_each_file_old_or_new(tmp_path):
    originals = _make(tmp_path / "src", 200)
    fixed = _fixed_versions(tmp_path, originals)
    start = time.monotonic()
    clean = _fix_proc(tmp_path / "timing")  # a missing path: the start-up time alone
    clean.communicate()
    startup = time.monotonic() - start
    folder = tmp_path / "work"
    rng = random.Random(20240607)
    partial = 0
    for round_ in range(6):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, data in originals.items():
            (folder / name).write_bytes(data)
        proc = _fix_proc(folder)
        # Kills spread from before the first write to the end of the run.
        time.sleep(startup * rng.uniform(0.5, 1.0) + rng.uniform(0.0, 1.2))
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        deadline = time.monotonic() + 10
        while _group_alive(proc.pid):  # the pool workers die too, not only the parent
            assert time.monotonic() < deadline, "a worker survived SIGKILL"
            time.sleep(0.01)
        new = old = 0
        for name in originals:
            data = (folder / name).read_bytes()
            assert data in (originals[name], fixed[name]), f"round {round_}: {name} is neither old nor new"
            new += data == fixed[name]
            old += data == originals[name]
        partial += bool(new and old)
        leftovers = sorted(set(os.listdir(folder)) - set(originals))
        assert all(x.endswith(TMP_SUFFIX) for x in leftovers), leftovers
        assert _walk(folder) == sorted(originals), "a temporary file is never taken for an article"
    assert partial, "no kill landed while files were being written; the test proved nothing"
    # A run after the kills finishes the job.
    proc = _fix_proc(folder)
    proc.communicate(timeout=120)
    assert all((folder / n).read_bytes() == fixed[n] for n in originals)


def _spy_after_check(monkeypatch, name: str, act) -> None:
    """Call ``act(path)`` for file ``name`` after it is read and checked,
    before the fix is written."""
    real = runner.check_bytes

    def spy(data, path, *args, **kwargs):
        result = real(data, path, *args, **kwargs)
        if path is not None and Path(path).name == name:
            act(Path(path))
        return result

    monkeypatch.setattr(runner, "check_bytes", spy)


def _run(tmp_path, capsys, *extra: str) -> tuple[int, str, str]:
    status = cli.main(["check", "--fix", "--no-cache", "-j", "1", "--output-format", "concise", *extra,
                       str(tmp_path)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("new", [b"Edited by a human.\n", b"Some  text hera.\n"], ids=["other-size", "same-size"])
def test_a_file_changed_between_read_and_write_is_not_overwritten(tmp_path, capsys, monkeypatch, new):
    (tmp_path / "a.txt").write_bytes(b"Some  text here.\n")
    (tmp_path / "b.txt").write_bytes(b"Other  text here.\n")
    _spy_after_check(monkeypatch, "a.txt", lambda p: p.write_bytes(new))
    status, out, err = _run(tmp_path, capsys)
    assert (tmp_path / "a.txt").read_bytes() == new  # the newer content survives
    assert (tmp_path / "b.txt").read_bytes() == b"Other text here.\n"
    assert err == f"artlint: warning: {tmp_path / 'a.txt'}: changed while it was being fixed; not written\n"
    assert "a.txt:1:1: XX008 File changed while it was being fixed; not written" in out
    assert "WS003" not in out  # findings in the old content are not reported on the new one
    assert status == 1
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt"]


def test_a_file_deleted_between_read_and_write_is_not_recreated(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.txt").write_bytes(b"Some  text here.\n")
    (tmp_path / "b.txt").write_bytes(b"Other  text here.\n")
    _spy_after_check(monkeypatch, "a.txt", Path.unlink)
    status, out, err = _run(tmp_path, capsys)
    assert sorted(os.listdir(tmp_path)) == ["b.txt"]
    assert (tmp_path / "b.txt").read_bytes() == b"Other text here.\n"
    assert err == f"artlint: warning: {tmp_path / 'a.txt'}: deleted while it was being fixed; not written\n"
    assert "a.txt:1:1: XX008 File deleted while it was being fixed; not written" in out
    assert status == 1


def test_a_file_replaced_between_read_and_write_keeps_the_new_one(tmp_path, capsys, monkeypatch):
    """An editor that saves by renaming a new file over the old one."""
    (tmp_path / "a.txt").write_bytes(b"Some  text here.\n")

    def save_as_editor(p: Path) -> None:
        (tmp_path / "new").write_bytes(b"Some  text here.\n\nAnd more.\n")
        os.replace(tmp_path / "new", p)

    _spy_after_check(monkeypatch, "a.txt", save_as_editor)
    status, out, _ = _run(tmp_path, capsys)
    assert (tmp_path / "a.txt").read_bytes() == b"Some  text here.\n\nAnd more.\n"
    assert "XX008" in out and status == 1


def test_a_read_only_file_is_not_written_even_by_root(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"Some  text here.\n")
    b.write_bytes(b"Other  text here.\n")
    a.chmod(0o444)
    try:
        status, out, err = _run(tmp_path, capsys)
        assert a.read_bytes() == b"Some  text here.\n"
        assert a.stat().st_mode & 0o777 == 0o444
        assert b.read_bytes() == b"Other text here.\n"
        assert err == (f"artlint: warning: {a}: not written: "
                       "read-only file (no write permission for its owner)\n")
        # XX008, and the findings still in the file (not counted as fixed).
        assert ("a.txt:1:1: XX008 Cannot write the fixed file: read-only file "
                "(no write permission for its owner); left unchanged") in out
        assert "a.txt:1:5: WS003 [*] 2 spaces where one belongs" in out
        assert "Found 3 findings (1 fixed, 2 remaining)." in out
        assert status == 1
        assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt"]
    finally:
        a.chmod(0o644)


@POSIX_ONLY
@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root writes in a read-only folder")
def test_a_read_only_folder_is_reported(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_bytes(b"Some  text here.\n")
    d.chmod(0o555)
    try:
        status, out, err = _run(d, capsys)
        assert (d / "a.txt").read_bytes() == b"Some  text here.\n"
        assert "not written: Permission denied" in err and "XX008" in out and status == 1
    finally:
        d.chmod(0o755)


def _full_disk_for(monkeypatch, name: str, where: str) -> None:
    """ENOSPC while writing the temporary file of ``name``: in its write
    (``where`` = "write") or its fsync."""
    import artlint.files as files

    if where == "fsync":
        real_fsync = os.fsync

        def fsync(fd):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if os.path.basename(target).startswith(f".{name}."):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_fsync(fd)

        monkeypatch.setattr(files.os, "fsync", fsync)
        return
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])  # half of it makes it to disk
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, attr):
            return getattr(self.fh, attr)

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        target = os.readlink(f"/proc/self/fd/{fd}")
        return Full(fh) if os.path.basename(target).startswith(f".{name}.") else fh

    monkeypatch.setattr(files.os, "fdopen", fdopen)


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc/self/fd")
@pytest.mark.parametrize("where", ["write", "fsync"])
def test_a_full_disk_leaves_the_original_and_no_temporary_file(tmp_path, capsys, monkeypatch, where):
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_bytes(b"Some  text here.\n")
    _full_disk_for(monkeypatch, "b.txt", where)
    status, out, err = _run(tmp_path, capsys)
    assert (tmp_path / "b.txt").read_bytes() == b"Some  text here.\n"
    assert (tmp_path / "a.txt").read_bytes() == (tmp_path / "c.txt").read_bytes() == b"Some text here.\n"
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.txt", "c.txt"]
    assert err == f"artlint: warning: {tmp_path / 'b.txt'}: not written: No space left on device\n"
    assert "b.txt:1:1: XX008 Cannot write the fixed file: No space left on device; left unchanged" in out
    assert "b.txt:1:5: WS003" in out
    assert status == 1


def test_atomic_write_refuses_stale_content_and_accepts_the_same_fix(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"new")
    assert atomic_write(p, b"new", expected=b"old") is False  # already holds the fix: nothing to do
    with pytest.raises(Exception, match="changed while it was being fixed"):
        atomic_write(p, b"fixed", expected=b"old")
    assert p.read_bytes() == b"new"
    assert atomic_write(p, b"fixed", expected=b"new") is True
    assert p.read_bytes() == b"fixed"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_temporary_files_are_not_articles(tmp_path):
    (tmp_path / "a.md").write_text("x\n")
    (tmp_path / f".a.md.k3j2{TMP_SUFFIX}").write_text("x\n")
    (tmp_path / f".b.txt.zz9{TMP_SUFFIX}").write_text("x\n")
    assert _walk(tmp_path) == ["a.md"]


@POSIX_ONLY
def test_two_runs_fixing_the_same_files_at_once(tmp_path):
    originals = _make(tmp_path / "src", 100, seed=2)
    fixed = _fixed_versions(tmp_path, originals)
    folder = tmp_path / "work"
    folder.mkdir()
    for name, data in originals.items():
        (folder / name).write_bytes(data)
    procs = [_fix_proc(folder), _fix_proc(folder)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode in (0, 1), err
        assert b"Traceback" not in err and b"not written" not in err, err
    assert {n: (folder / n).read_bytes() for n in originals} == fixed
    assert sorted(os.listdir(folder)) == sorted(originals)
    mtimes = {n: (folder / n).stat().st_mtime_ns for n in originals}
    third = run_cli("check", "--fix", "--no-cache", "--output-format", "concise", str(folder))
    assert b" fixed" not in third.stdout, third.stdout[-300:]
    assert {n: (folder / n).stat().st_mtime_ns for n in originals} == mtimes
