"""The tree artlint walks: symlink loops (a folder linking to a folder that
holds it, folders linking to each other), broken symlinks, symlinks out of
the tree, a FIFO named like an article. The run always ends, checks each real
file once, and says what it skipped in one line each on stderr."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from artlint.config import Layer, build_settings
from artlint.files import walk_articles

from conftest import run_cli

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs as on POSIX")
pytestmark = POSIX_ONLY

DOUBLE = "Some  text.\n"  # one WS003 at 1:5
CLEAN = "A clean sentence with nothing wrong in it.\n"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check(cwd: Path, *paths: str, max_seconds: float = 30):
    """(exit status, finding lines, stderr lines) of a concise, quiet check."""
    start = time.monotonic()
    proc = run_cli("check", "--no-cache", "-q", "--output-format", "concise", *paths, cwd=cwd)
    assert time.monotonic() - start < max_seconds
    err = proc.stderr.decode().splitlines()
    assert not any("Traceback" in line for line in err)
    return proc.returncode, proc.stdout.decode().splitlines(), err


def _walk(top: Path) -> tuple[list[str], list[str]]:
    warnings: list[str] = []
    s = build_settings({}, top, None, Layer())
    found = [p.relative_to(top).as_posix() for p in walk_articles(top, s.is_excluded, warnings.append)]
    return found, [w.removeprefix(f"{top}{os.sep}") for w in warnings]


LOOP = "symlink loop (it leads back to a folder that holds it); not followed"


def test_a_folder_symlink_to_an_ancestor_is_a_loop_reported_once(tmp_path):
    tree = tmp_path / "tree"
    _write(tree / "docs" / "a.md", DOUBLE)
    (tree / "docs" / "sub").mkdir()
    (tree / "docs" / "sub" / "up").symlink_to("../..")
    (tree / "docs" / "self").symlink_to(".")
    assert _walk(tree) == (["docs/a.md"], [f"docs/self: {LOOP}", f"docs/sub/up: {LOOP}"])
    # Named twice on the command line: each file checked once, each loop reported once.
    assert _check(tmp_path, "tree", "tree/docs") == (
        1,
        ["tree/docs/a.md:1:5: WS003 [*] 2 spaces where one belongs"],
        [f"artlint: warning: tree/docs/self: {LOOP}", f"artlint: warning: tree/docs/sub/up: {LOOP}"],
    )


def test_folders_linking_to_each_other_inside_the_tree_are_walked_once(tmp_path):
    tree = tmp_path / "tree"
    _write(tree / "a" / "one.md", DOUBLE)
    _write(tree / "c" / "two.md", DOUBLE)
    (tree / "a" / "to-c").symlink_to("../c")
    (tree / "c" / "to-a").symlink_to("../a")
    # Each folder is walked under its own name; the links lead back into the tree.
    assert _walk(tree) == (["a/one.md", "c/two.md"], [])


def test_folders_outside_the_tree_linking_to_each_other(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    _write(tmp_path / "e1" / "one.md", DOUBLE)
    _write(tmp_path / "e2" / "two.md", DOUBLE)
    (tmp_path / "e1" / "l").symlink_to("../e2")
    (tmp_path / "e2" / "l").symlink_to("../e1")
    (tree / "x").symlink_to("../e1")
    (tree / "y").symlink_to("../e2")
    # Out of the tree: followed, each real folder once; the way back to e1 is the loop.
    assert _walk(tree) == (["x/l/two.md", "x/one.md"], [f"x/l/l: {LOOP}"])
    assert _check(tree, ".") == (
        1,
        ["x/l/two.md:1:5: WS003 [*] 2 spaces where one belongs",
         "x/one.md:1:5: WS003 [*] 2 spaces where one belongs"],
        [f"artlint: warning: x/l/l: {LOOP}"],
    )


def test_a_symlink_to_the_root_of_the_file_system_is_not_walked(tmp_path):
    tree = tmp_path / "tree"
    _write(tree / "a.md", CLEAN)
    (tree / "root").symlink_to("/")
    assert _walk(tree) == (["a.md"], [f"root: {LOOP}"])


def test_broken_and_looping_file_symlinks_are_skipped_with_a_warning(tmp_path):
    tree = tmp_path / "tree"
    _write(tree / "a.md", DOUBLE)
    (tree / "broken.md").symlink_to("nowhere.md")
    (tree / "self.md").symlink_to("self.md")
    (tree / "ping.md").symlink_to("pong.md")
    (tree / "pong.md").symlink_to("ping.md")
    (tree / "broken-folder").symlink_to("missing")
    (tree / "notes.txt.bak").symlink_to("missing")  # not an article's name: nothing to say
    assert _check(tree, ".") == (
        1,
        ["a.md:1:5: WS003 [*] 2 spaces where one belongs"],
        [
            "artlint: warning: broken.md: broken symlink (to nowhere.md); skipped",
            "artlint: warning: ping.md: symlink loop; skipped",
            "artlint: warning: pong.md: symlink loop; skipped",
            "artlint: warning: self.md: symlink loop; skipped",
        ],
    )


def test_a_broken_symlink_named_on_the_command_line_is_an_error(tmp_path):
    (tmp_path / "broken.md").symlink_to("nowhere.md")
    (tmp_path / "self.md").symlink_to("self.md")
    assert _check(tmp_path, "broken.md", "self.md") == (
        2,
        [],
        ["artlint: error: broken.md: broken symlink or symlink loop",
         "artlint: error: self.md: broken symlink or symlink loop"],
    )


def test_a_symlink_to_a_file_outside_the_tree_is_checked_once(tmp_path):
    tree = tmp_path / "tree"
    _write(tmp_path / "outside" / "story.md", DOUBLE)
    (tree / "b").mkdir(parents=True)
    (tree / "a-link.md").symlink_to("../outside/story.md")
    (tree / "b" / "b-link.md").symlink_to("../../outside/story.md")
    assert _walk(tree) == (["a-link.md", "b/b-link.md"], [])
    # One real file: checked once, under the first name found.
    assert _check(tree, ".") == (1, ["a-link.md:1:5: WS003 [*] 2 spaces where one belongs"], [])
    # --fix writes through the link: the link stays a link.
    proc = run_cli("check", "--no-cache", "-q", "--fix", ".", cwd=tree)
    assert proc.returncode == 0, proc.stderr
    assert (tree / "a-link.md").is_symlink()
    assert (tmp_path / "outside" / "story.md").read_text() == "Some text.\n"


def test_a_fifo_named_like_an_article_does_not_block_the_run(tmp_path):
    tree = tmp_path / "tree"
    _write(tree / "a.md", DOUBLE)
    os.mkfifo(tree / "pipe.md")
    assert _check(tree, ".", max_seconds=30) == (
        1,
        ["a.md:1:5: WS003 [*] 2 spaces where one belongs"],
        ["artlint: warning: pipe.md: not a regular file; skipped"],
    )


def test_excluded_and_ignored_paths_raise_no_warnings(tmp_path):
    tree = tmp_path / "tree"
    (tree / ".git").mkdir(parents=True)
    _write(tree / ".gitignore", "ignored.md\n")
    _write(tree / "a.md", CLEAN)
    (tree / "ignored.md").symlink_to("nowhere.md")
    (tree / "node_modules").mkdir()
    (tree / "node_modules" / "up").symlink_to("..")
    (tree / "node_modules" / "broken.md").symlink_to("nowhere.md")
    assert _walk(tree) == (["a.md"], [])


def test_a_deep_chain_of_symlinks_ends(tmp_path):
    """Ten folders each linking to all the others: without the rule "each
    real folder once" this is 10^10 paths."""
    tree = tmp_path / "tree"
    outside = tmp_path / "outside"
    for i in range(10):
        _write(outside / f"d{i}" / f"f{i}.md", CLEAN)
    for i in range(10):
        for j in range(10):
            if i != j:
                (outside / f"d{i}" / f"to{j}").symlink_to(f"../d{j}")
    tree.mkdir()
    (tree / "in").symlink_to("../outside/d0")
    start = time.monotonic()
    found, warnings = _walk(tree)
    assert time.monotonic() - start < 10
    assert sorted(Path(f).name for f in found) == [f"f{i}.md" for i in range(10)]
    assert len(found) == 10 and all(w.endswith(LOOP) for w in warnings)


def test_without_a_warn_callback_the_walk_is_silent(tmp_path, capsys):
    _write(tmp_path / "a.md", CLEAN)
    (tmp_path / "up").symlink_to(".")
    (tmp_path / "broken.md").symlink_to("nowhere.md")
    s = build_settings({}, tmp_path, None, Layer())
    assert [p.name for p in walk_articles(tmp_path, s.is_excluded)] == ["a.md"]
    assert capsys.readouterr() == ("", "")
