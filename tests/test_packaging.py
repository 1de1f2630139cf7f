"""The installed (not editable) wheel: import package ``artlint`` with
``artlint.rules`` and its data; no top-level ``lint`` or ``rules``."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_installs_artlint_and_its_rule_data(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("lint", "rules"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(src)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = dist.glob("artlint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "artlint/rules/ws.yaml" in names
    assert "artlint/rules/ws.py" in names
    assert not any(n.startswith(("lint/", "rules/")) for n in names)

    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    probe = (
        "import artlint, artlint.rules, sys\n"
        "from artlint.data import load_data\n"
        "from artlint.registry import load_builtin_rules\n"
        f"assert artlint.__file__.startswith({str(site)!r}), artlint.__file__\n"
        "assert 'had' in load_data('ws')['legitimate-doubles']\n"
        "assert 'WS001' in load_builtin_rules().rules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, cwd=tmp_path)
    assert out.stdout.strip() == "ok", out.stderr
