"""artlint as a pre-commit hook: ``.pre-commit-hooks.yaml`` tried with the real
pre-commit (``pre-commit try-repo``) on a scratch git repository of articles.

Each ``try-repo`` builds its own virtualenv and pip-installs artlint and its
dependencies into it: try-repo keeps its environments in a temporary store of
its own, not in ``PRE_COMMIT_HOME``, so the three runs cannot share one (pip's
own cache keeps each build to a few seconds).  ``PRE_COMMIT_HOME`` still
points into the session's temporary folder, so nothing is written to
``~/.cache/pre-commit`` and pre-commit's error log is at hand for a failure
message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from artlint.document import ARTICLE_SUFFIXES
from conftest import ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CONFIG = ROOT / ".pre-commit-config.yaml"

# A scraped comment-form line between paragraphs (BP001) and two blank lines
# in a row (WS001); both fixes are safe.
BAD = (
    "# Council approves new bridge\n"
    "\n"
    "The city council voted on Tuesday to build a new bridge over the river.\n"
    "\n"
    "\n"
    "Construction is expected to start in the spring and last two years.\n"
    "\n"
    "Leave A Reply\n"
    "\n"
    "The mayor said the bridge would ease traffic in the old town.\n"
)
BAD_FIXED = (
    "# Council approves new bridge\n"
    "\n"
    "The city council voted on Tuesday to build a new bridge over the river.\n"
    "\n"
    "Construction is expected to start in the spring and last two years.\n"
    "\n"
    "The mayor said the bridge would ease traffic in the old town.\n"
)
GOOD = (
    "# Library opens on Sundays\n"
    "\n"
    "The central library will open on Sundays from next month.\n"
    "\n"
    "The change follows a survey of readers, most of whom asked for longer hours.\n"
)

# Variables that would point git at another repository (set, for example,
# when the suite runs inside a git hook).
_GIT_REPO_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                  "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_NAMESPACE")

# Signs that pip could not reach a package index (as opposed to artlint
# failing to build or install, which is a real failure).
_NETWORK_FAILURES = (
    "Could not find a version that satisfies the requirement",
    "No matching distribution found",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Max retries exceeded",
    "ProxyError",
    "ReadTimeoutError",
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_REPO_VARS}
    for name in ("FORCE_COLOR", "SKIP", "PRE_COMMIT", "PRE_COMMIT_NO_CONCURRENCY"):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def _git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"git {' '.join(args)} failed in {cwd}:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


def _commit_all(repo: Path, message: str) -> None:
    _git("add", "-A", cwd=repo)
    _git("-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", message, cwd=repo)


def _new_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    _git("init", "-q", cwd=path)
    _git("config", "user.name", "artlint tests", cwd=path)
    _git("config", "user.email", "tests@artlint.invalid", cwd=path)
    return path


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> Path:
    """The repository that ``try-repo`` installs the hooks from.

    The project root itself when its working tree is clean (a fresh clone, as
    in CI).  Otherwise a committed copy of the working tree: try-repo copies
    only committed, staged and modified tracked files into its shadow
    repository, so a new file (the manifest itself, before it is committed)
    would be missing and the test would try HEAD instead of the code on disk.
    """
    probe = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=ROOT, env=_env(),
                           capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout; pre-commit try-repo needs one")
    status = _git("status", "--porcelain", "--untracked-files=all", cwd=ROOT)
    if not status.strip() and Path(probe.stdout.strip()).resolve() == ROOT:
        return ROOT
    snapshot = _new_repo(tmp_path_factory.mktemp("hook-repo") / "artlint")
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if src.is_file() and not src.is_symlink():
            (snapshot / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, snapshot / rel)
    _commit_all(snapshot, "artlint working tree")
    return snapshot


@pytest.fixture
def articles(tmp_path) -> Path:
    """A git repository with a bad and a good article, committed."""
    repo = _new_repo(tmp_path / "articles")
    (repo / "bad.md").write_text(BAD, encoding="utf-8")
    (repo / "good.md").write_text(GOOD, encoding="utf-8")
    _commit_all(repo, "two articles")
    return repo


def try_repo(hook_repo: Path, hook: str, *files: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    """``pre-commit try-repo HOOK_REPO HOOK --files FILES`` in ``cwd``."""
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--color=never", "--files", *files],
        cwd=cwd, env=_env(PRE_COMMIT_HOME=str(home)), capture_output=True, text=True, timeout=900,
    )
    out = proc.stdout + proc.stderr
    if "An unexpected error has occurred" in out:
        log_file = home / "pre-commit.log"
        log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
        command = re.search(r"command: \((.*?)\)", out + log)
        command = command.group(1) if command else ""
        errors = "\n".join(line.strip() for line in out.splitlines() if "ERROR" in line or "rror:" in line)
        if "-mvirtualenv" in command:
            pytest.skip(f"pre-commit could not create the hook's virtualenv: {errors}")
        if "-mpip" in command and any(sign in out + log for sign in _NETWORK_FAILURES):
            pytest.skip(f"pre-commit could not pip-install the hook's environment (no package index?): {errors}")
        pytest.fail(f"pre-commit try-repo failed to run the hook:\n{out}\n{log}")
    return proc


def _output(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


# -------------------------------------------------------- the hooks, tried
def test_artlint_hook_fails_on_a_bad_article(hook_repo, articles, pre_commit_home):
    proc = try_repo(hook_repo, "artlint", "bad.md", "good.md", cwd=articles, home=pre_commit_home)
    out = _output(proc)
    assert proc.returncode == 1, out
    assert re.search(r"^artlint\.+Failed$", out, re.M), out
    assert "bad.md:5:1: WS001" in out, out
    assert "bad.md:8:1: BP001" in out, out
    assert "good.md:" not in out, out
    # The checking hook writes nothing.
    assert (articles / "bad.md").read_text(encoding="utf-8") == BAD
    assert "files were modified by this hook" not in out, out


def test_artlint_hook_passes_a_clean_article(hook_repo, articles, pre_commit_home):
    proc = try_repo(hook_repo, "artlint", "good.md", cwd=articles, home=pre_commit_home)
    out = _output(proc)
    assert proc.returncode == 0, out
    assert re.search(r"^artlint\.+Passed$", out, re.M), out


def test_artlint_fix_hook_rewrites_the_bad_article(hook_repo, articles, pre_commit_home):
    proc = try_repo(hook_repo, "artlint-fix", "bad.md", cwd=articles, home=pre_commit_home)
    out = _output(proc)
    assert proc.returncode == 1, out
    assert re.search(r"^artlint \(fix\)\.+Failed$", out, re.M), out
    assert "files were modified by this hook" in out, out
    assert (articles / "bad.md").read_bytes() == BAD_FIXED.encode("utf-8")
    assert (articles / "good.md").read_text(encoding="utf-8") == GOOD


# ---------------------------------------------- the manifest and the config
def _pre_commit(*args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=ROOT,
                          env=_env(PRE_COMMIT_HOME=str(home)), capture_output=True, text=True, timeout=120)


def test_manifest_and_config_are_valid(pre_commit_home):
    proc = _pre_commit("validate-manifest", str(MANIFEST), home=pre_commit_home)
    assert proc.returncode == 0, _output(proc)
    proc = _pre_commit("validate-config", str(CONFIG), home=pre_commit_home)
    assert proc.returncode == 0, _output(proc)


def test_manifest_hooks_take_exactly_artlints_article_files():
    hooks = {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}
    assert set(hooks) == {"artlint", "artlint-fix"}
    assert hooks["artlint"]["entry"] == "artlint check --force-exclude"
    assert hooks["artlint-fix"]["entry"] == "artlint check --fix --force-exclude"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook.get("pass_filenames", True) is True
        assert hook["require_serial"] is False
        files = re.compile(hook["files"])
        for suffix in ARTICLE_SUFFIXES:
            assert files.search(f"news/story{suffix}"), suffix
            assert files.search(f"news/STORY{suffix.upper()}"), suffix
        for name in ("setup.py", "config.yaml", "story.md.orig", "notes.txt~", "mdx", "README"):
            assert not files.search(name), name
