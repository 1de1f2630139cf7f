"""Finding articles in folders: suffixes, default excludes, .gitignore."""

from __future__ import annotations

from pathlib import Path

from artlint.config import Layer, build_settings
from artlint.files import decode, walk_articles


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, body in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(body, encoding="utf-8")


def _walk(root: Path) -> list[str]:
    s = build_settings({}, root, None, Layer())
    return [p.relative_to(root).as_posix() for p in walk_articles(root, s.is_excluded)]


def test_articles_by_suffix_sorted_and_default_excludes(tmp_path):
    _tree(tmp_path, {
        "b.md": "", "a.txt": "", "c.markdown": "", "d.MD": "", "notes.rst": "", "x.py": "",
        "node_modules/pkg/readme.md": "", ".venv/lib/a.txt": "", "sub/e.md": "",
        "requirements.txt": "", "LICENSE.txt": "",
    })
    assert _walk(tmp_path) == ["a.txt", "b.md", "c.markdown", "d.MD", "sub/e.md"]


def test_gitignore_rules_apply_including_nested_and_negated(tmp_path):
    (tmp_path / ".git").mkdir()
    _tree(tmp_path, {
        ".gitignore": "drafts/\n*.tmp.md\n",
        "drafts/a.md": "", "keep.md": "", "old.tmp.md": "",
        "archive/.gitignore": "*.txt\n!keep.txt\n",
        "archive/x.txt": "", "archive/keep.txt": "", "archive/y.md": "",
    })
    assert _walk(tmp_path) == ["archive/keep.txt", "archive/y.md", "keep.md"]


def test_gitignore_above_the_walked_folder_counts(tmp_path):
    (tmp_path / ".git").mkdir()
    _tree(tmp_path, {".gitignore": "secret.md\n", "docs/secret.md": "", "docs/open.md": ""})
    s = build_settings({}, tmp_path, None, Layer())
    found = [p.name for p in walk_articles(tmp_path / "docs", s.is_excluded)]
    assert found == ["open.md"]


def test_exclude_and_extend_exclude(tmp_path):
    _tree(tmp_path, {"a.md": "", "gen/b.md": "", "c.txt": ""})
    s = build_settings({"extend-exclude": ["gen", "*.txt"]}, tmp_path, None, Layer())
    assert [p.name for p in walk_articles(tmp_path, s.is_excluded)] == ["a.md"]


def test_decode_boms_and_encodings():
    assert decode(b"\xef\xbb\xbfabc").raw == "abc"
    src = decode("\ufeffabc\r\n".encode("utf-16-le"))
    assert (src.raw, src.encoding, src.bom) == ("abc\r\n", "utf-16-le", b"\xff\xfe")
    assert src.encode() == "\ufeffabc\r\n".encode("utf-16-le")
    assert decode(b"plain").encoding == "utf-8"
