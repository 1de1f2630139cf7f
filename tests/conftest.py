"""Shared test helpers: lint and fix in-memory texts with a given config."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from artlint.config import Layer, build_settings, clear_caches
from artlint.document import Document
from artlint.engine import lint_document
from artlint.fixer import fix_source
from artlint.files import Source
from artlint.types import Applicability

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent


def settings(config: dict[str, Any] | None = None, select: list[str] | None = None, root: Path | None = None):
    layer = Layer(select=tuple(select) if select is not None else None)
    return build_settings(dict(config or {}), root or Path.cwd(), None, layer)


def lint(text: str, path: str = "article.txt", config: dict | None = None, select: list[str] | None = None):
    """[(line, column, code), ...] for ``text``."""
    doc = Document(path, text)
    diags = lint_document(doc, settings(config, select))
    return [(*doc.position(d.span.start), d.code) for d in diags]


def diagnostics(text: str, path: str = "article.txt", config: dict | None = None, select: list[str] | None = None):
    doc = Document(path, text)
    return doc, lint_document(doc, settings(config, select))


def fix(text: str, path: str = "article.txt", config: dict | None = None, select: list[str] | None = None,
        unsafe: bool = False) -> str:
    s = settings(config, select)
    level = Applicability.UNSAFE if unsafe else Applicability.SAFE
    result = fix_source(Source(text), lambda t: lint_document(Document(path, t), s), level)
    return result.source.raw


_CACHE_DIR: list[str] = []


def _cache_dir() -> str:
    if not _CACHE_DIR:
        import atexit
        import shutil
        import tempfile

        _CACHE_DIR.append(tempfile.mkdtemp(prefix="artlint-test-cache-"))
        atexit.register(shutil.rmtree, _CACHE_DIR[0], True)
    return _CACHE_DIR[0]


def run_cli(*args: str, cwd: Path | None = None, input: bytes | None = None, env: dict | None = None):
    """Run ``python -m artlint`` in a subprocess; returns CompletedProcess (text)."""
    import os
    import subprocess

    full_env = dict(os.environ)
    full_env.pop("FORCE_COLOR", None)
    full_env["NO_COLOR"] = "1"
    # The result cache goes to one folder of the session's, not into the
    # folders the tests look at (tests of the cache set their own).
    full_env.setdefault("ARTLINT_CACHE_DIR", _cache_dir())
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "artlint", *args],
        cwd=cwd, input=input, capture_output=True, env=full_env, timeout=120,
    )


@pytest.fixture(autouse=True)
def _fresh_config_caches():
    clear_caches()
    yield
    clear_caches()
