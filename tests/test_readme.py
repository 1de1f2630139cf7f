"""The README's snippets are run, not just shown: the CI workflows' artlint
commands on the example article, with the files their later steps read."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET

import yaml

from conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    m = re.search(r"^## " + re.escape(title) + r"\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert m, f"README has no '## {title}' section"
    return m.group(1)


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(r"^```" + lang + r"\n(.*?)^```", text, re.M | re.S)


def _artlint_commands(lines: list[str]) -> list[list[str]]:
    return [shlex.split(line)[1:] for line in lines if line.startswith("artlint ")]


def _workdir(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_github_actions_snippet(tmp_path):
    github, _gitlab = _blocks(_section("In CI"), "yaml")
    workflow = yaml.safe_load(github)
    steps = workflow["jobs"]["artlint"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    commands = _artlint_commands(runs)
    assert len(commands) == 2
    cwd = _workdir(tmp_path)
    annotations = run_cli(*commands[0], cwd=cwd)
    assert annotations.returncode == 1  # the example article has findings: the job fails
    assert annotations.stdout.decode().startswith("::notice file=seeds/000_651449546ff66d6f.txt,line=1,")
    sarif = run_cli(*commands[1], cwd=cwd)
    assert sarif.returncode == 0  # --exit-zero: the upload step still runs
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    log = json.loads((cwd / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]


def test_gitlab_ci_snippet(tmp_path):
    _github, gitlab = _blocks(_section("In CI"), "yaml")
    job = yaml.safe_load(gitlab)["artlint"]
    commands = _artlint_commands(job["script"])
    assert len(commands) == 2
    cwd = _workdir(tmp_path)
    junit = run_cli(*commands[0], cwd=cwd)
    assert junit.returncode == 0
    quality = run_cli(*commands[1], cwd=cwd)
    assert quality.returncode == 1
    reports = job["artifacts"]["reports"]
    issues = json.loads((cwd / reports["codequality"]).read_text(encoding="utf-8"))
    assert {i["location"]["path"] for i in issues} == {"seeds/000_651449546ff66d6f.txt"}
    suites = ET.parse(cwd / reports["junit"]).getroot()
    assert suites.attrib["failures"] == str(len(issues))


def test_pre_commit_snippet_names_the_shipped_hooks():
    (snippet,) = _blocks(_section("In pre-commit"), "yaml")
    config = yaml.safe_load(snippet)
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    shipped = {hook["id"] for hook in manifest}
    used = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {hook["id"] for hook in used} <= shipped
    from artlint.cli import build_parser

    for hook in used:  # the args parse as artlint check options
        build_parser().parse_args(["check", *hook.get("args", [])])


def test_editor_snippets_start_the_server(tmp_path):
    """The Helix and Neovim snippets run `artlint server`; that command
    answers an LSP initialize request over stdio and exits on request."""
    import subprocess
    import sys

    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    section = _section("In your editor")
    (helix,) = _blocks(section, "toml")
    server = tomllib.loads(helix)["language-server"]["artlint"]
    assert [server["command"], *server["args"]] == ["artlint", "server"]
    (lua,) = _blocks(section, "lua")
    assert 'cmd = { "artlint", "server" }' in lua

    def frame(obj) -> bytes:
        body = json.dumps(obj).encode()
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)

    messages = (frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}})
                + frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
                + frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
                + frame({"jsonrpc": "2.0", "method": "exit"}))
    proc = subprocess.run([sys.executable, "-m", "artlint", *server["args"]], input=messages,
                          capture_output=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    replies = [json.loads(part.split(b"\r\n\r\n", 1)[1]) for part in proc.stdout.split(b"Content-Length")[1:]]
    init = next(r for r in replies if r.get("id") == 1)
    assert init["result"]["serverInfo"]["name"] == "artlint"
    assert "codeActionProvider" in init["result"]["capabilities"]
