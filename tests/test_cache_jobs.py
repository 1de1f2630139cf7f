"""The result cache and --jobs: same findings, less work."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, ROOT, run_cli

SEED = ROOT / "seeds" / "000_651449546ff66d6f.txt"


def _corpus(folder, n: int = 48) -> None:
    """``n`` articles made from the test fixtures (varied defects), two of
    them sharing a headline."""
    sources = sorted(p for p in (FIXTURES / "articles").glob("*.*")
                     if p.suffix in (".txt", ".md") and ".fixed." not in p.name)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        if i >= len(sources):  # a different headline, so HL002 stays about the real pair
            text = text.replace("\n", f" {i}\n", 1) if src.suffix == ".txt" else text.replace("title: ", f"title: {i} ", 1)
        (folder / f"{i:03d}{src.suffix}").write_text(text, encoding="utf-8")
    shutil.copyfile(SEED, folder / "seed.txt")
    (folder / "seed-copy.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")


def _check(cwd, *args, cache_dir=None):
    env = {"ARTLINT_CACHE_DIR": str(cache_dir)} if cache_dir else {}
    return run_cli("check", "--output-format", "concise", *args, cwd=cwd, env=env)


def test_jobs_give_the_same_report_in_the_same_order(tmp_path):
    _corpus(tmp_path / "a")
    one = _check(tmp_path, "--no-cache", "-j", "1", "a")
    two = _check(tmp_path, "--no-cache", "-j", "2", "a")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout
    assert b"HL002 The same headline as a/seed-copy.txt" in one.stdout
    lines = json.loads(_check(tmp_path, "--no-cache", "-j", "2", "--output-format", "json", "a").stdout)
    streamed = _check(tmp_path, "--no-cache", "-j", "2", "--output-format", "json-lines", "a").stdout
    assert sorted(map(json.dumps, lines)) == sorted(json.dumps(json.loads(x)) for x in streamed.splitlines())


def test_jobs_fix_in_workers(tmp_path):
    _corpus(tmp_path / "a")
    _corpus(tmp_path / "b")
    _check(tmp_path, "--fix", "-j", "1", "a")
    _check(tmp_path, "--fix", "-j", "2", "b")
    for p in sorted((tmp_path / "a").iterdir()):
        assert (tmp_path / "b" / p.name).read_bytes() == p.read_bytes(), p.name


def test_bad_jobs_value(tmp_path):
    proc = _check(tmp_path, "-j", "0", ".")
    assert proc.returncode == 2
    assert b"must be 1 or more" in proc.stderr


def test_warm_cache_gives_the_same_report_without_linting(tmp_path, monkeypatch, capsys):
    from artlint import cli, runner

    _corpus(tmp_path / "a")
    cache = tmp_path / "cache"
    cold = _check(tmp_path, "a", cache_dir=cache)
    assert (cache / ".gitignore").is_file()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARTLINT_CACHE_DIR", str(cache))

    def no_linting(*args, **kwargs):
        raise AssertionError("a cached file was linted")

    monkeypatch.setattr(runner, "lint_document", no_linting)
    assert cli.main(["check", "--output-format", "concise", "-j", "1", "a"]) == 1
    assert capsys.readouterr().out.encode() == cold.stdout


def test_cache_sees_changed_files_config_and_cross_file_keys(tmp_path):
    _corpus(tmp_path / "a", n=4)
    cache = tmp_path / "cache"
    first = _check(tmp_path, "a", cache_dir=cache).stdout.decode()
    assert "a/seed.txt:1:1: HL002" in first
    # A changed file is linted again; the unchanged copy keeps its HL002 from the cache.
    seed = tmp_path / "a" / "seed.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Leave A Reply", "Leave a comment"), encoding="utf-8")
    second = _check(tmp_path, "a", cache_dir=cache).stdout.decode()
    assert "a/seed.txt:58:1: BP001 [*] Boilerplate (comment form): 'Leave a comment'" in second
    assert "a/seed-copy.txt:1:1: HL002 The same headline as a/seed.txt" in second
    # A new config changes the findings of cached files.
    (tmp_path / ".artlint.toml").write_text('ignore = ["BP"]\n', encoding="utf-8")
    third = _check(tmp_path, "a", cache_dir=cache).stdout.decode()
    assert " BP0" not in third and " HL002 " in third


def test_a_changed_file_replaces_its_entry(tmp_path):
    """Commit after commit, pre-commit checks the files that changed: the
    cache keeps one entry per file, not one per version of it."""
    folder = tmp_path / "a"
    folder.mkdir()
    article = folder / "story.txt"
    other = folder / "other.txt"
    other.write_text("Another Story\n\nA paragraph that stays the same.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    _check(tmp_path, "a", cache_dir=cache)
    for i in range(4):
        article.write_text(f"Council Meets\n\nThe council met {i} times.  Read more\n", encoding="utf-8")
        out = _check(tmp_path, "a/story.txt", cache_dir=cache).stdout.decode()
        assert "a/story.txt:3:" in out and "WS003" in out
    entries = json.loads(next(cache.glob("artlint-*.json")).read_text())["entries"]
    assert sorted(entries) == ["a/other.txt", "a/story.txt"]
    # a run over the folder reports the last version (from its entry)
    assert _check(tmp_path, "a", cache_dir=cache).stdout.decode().count("a/story.txt:3:") == 2


def test_alternating_selections_each_keep_their_findings(tmp_path, monkeypatch):
    """A hook with --select BP and a full run take turns: each finds its
    findings in the cache (a few versions per file), none is linted again."""
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "story.txt").write_text("Council Meets\n\nThe council  met.\n\nRead more\n", encoding="utf-8")
    cache = tmp_path / "cache"
    full = _check(tmp_path, "a", cache_dir=cache).stdout
    only_bp = _check(tmp_path, "--select", "BP", "a", cache_dir=cache).stdout
    assert b"WS003" in full and b"WS003" not in only_bp and b"BP001" in only_bp
    monkeypatch.setenv("ARTLINT_CACHE_DIR", str(cache))
    monkeypatch.chdir(tmp_path)
    from artlint import runner
    from artlint.cli import main

    def no_linting(*args, **kwargs):
        raise AssertionError("a cached file was linted")

    monkeypatch.setattr(runner, "check_bytes", no_linting)
    monkeypatch.setattr(runner, "check_path", no_linting)
    assert main(["check", "--output-format", "concise", "a"]) == 1
    assert main(["check", "--output-format", "concise", "--select", "BP", "a"]) == 1


def test_the_key_follows_the_file_not_the_name_shown(tmp_path):
    """per-file-ignores match a file's place under the config's folder: two
    files shown as 'x/a.md' from two working folders are not one entry."""
    (tmp_path / ".artlint.toml").write_text('[per-file-ignores]\n"x/x/*" = ["WS"]\n', encoding="utf-8")
    for folder in (tmp_path / "x", tmp_path / "x" / "x"):
        folder.mkdir(exist_ok=True)
        (folder / "a.md").write_text("Hello  world, again.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert b"WS003" in _check(tmp_path, "x/a.md", cache_dir=cache).stdout
    inner = _check(tmp_path / "x", "x/a.md", cache_dir=cache)
    assert b"WS003" not in inner.stdout and inner.returncode == 0


def test_a_file_name_that_is_not_utf8_is_cached(tmp_path):
    import os

    folder = tmp_path / "a"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9.md")
    try:
        (folder / name).write_text("Hello  world.\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses such a name")
    cache = tmp_path / "cache"
    first = _check(tmp_path, "a", cache_dir=cache)
    second = _check(tmp_path, "a", cache_dir=cache)
    assert first.returncode == second.returncode == 1 and b"WS003" in first.stdout
    assert second.stdout == first.stdout


def test_no_cache_and_fix_write_no_cache(tmp_path):
    _corpus(tmp_path / "a", n=2)
    cache = tmp_path / "cache"
    _check(tmp_path, "--no-cache", "a", cache_dir=cache)
    _check(tmp_path, "--fix", "a", cache_dir=cache)
    assert not cache.exists()


def test_cache_dir_option_and_default_place(tmp_path):
    _corpus(tmp_path / "a", n=2)
    (tmp_path / "pyproject.toml").write_text("[tool.artlint]\n", encoding="utf-8")
    proc = run_cli("check", "a", cwd=tmp_path, env={"ARTLINT_CACHE_DIR": ""})
    assert proc.returncode == 1
    # Next to the nearest config, not in the folder checked.
    assert (tmp_path / ".artlint_cache").is_dir()
    assert not (tmp_path / "a" / ".artlint_cache").exists()
    _check(tmp_path, "--cache-dir", "elsewhere", "a")
    assert (tmp_path / "elsewhere").is_dir()


def test_damaged_or_unwritable_cache_is_not_an_error(tmp_path):
    _corpus(tmp_path / "a", n=2)
    cache = tmp_path / "cache"
    good = _check(tmp_path, "a", cache_dir=cache)
    for f in cache.glob("artlint-*.json"):
        f.write_text("{damaged", encoding="utf-8")
    again = _check(tmp_path, "a", cache_dir=cache)
    assert again.stdout == good.stdout and again.stderr == b""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    proc = _check(tmp_path, "a", cache_dir=blocked)
    assert proc.stdout == good.stdout
    assert proc.stderr.decode().startswith(f"artlint: warning: cannot write the cache in {blocked}")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cache_with_jobs(tmp_path, jobs):
    _corpus(tmp_path / "a")
    cache = tmp_path / "cache"
    cold = _check(tmp_path, "-j", jobs, "a", cache_dir=cache)
    warm = _check(tmp_path, "-j", jobs, "a", cache_dir=cache)
    assert warm.stdout == cold.stdout
    entries = json.loads(next(cache.glob("artlint-*.json")).read_text())["entries"]
    assert len(entries) == 50
