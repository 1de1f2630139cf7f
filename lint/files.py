"""Reading articles from disk or stdin, finding them in folders, and writing
fixed text back atomically with the file's encoding, BOM, line endings and
mode bits."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator

from .document import ARTICLE_SUFFIXES

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


CR_BEFORE_LF_RE = re.compile(r"\r+\n")


class DecodeError(Exception):
    """The bytes are not an article artlint can read. ``offset`` is the
    character offset of the problem in a lenient decoding (for a line/column)."""

    def __init__(self, message: str, text: str = "", offset: int = 0) -> None:
        super().__init__(message)
        self.text = text
        self.offset = offset


@dataclass
class Source:
    """An article's text as on disk (line endings kept) and how it was encoded."""

    raw: str
    encoding: str = "utf-8"
    bom: bytes = b""

    @property
    def crlf(self) -> bool:
        """True when CRLF is the file's dominant line ending."""
        crlf = self.raw.count("\r\n")
        return crlf > 0 and crlf * 2 >= self.raw.count("\n")

    def normalized(self) -> tuple[str, list[int]]:
        """The LF-only text, and for every carriage return removed from
        before a line feed, the offset of that line feed in the LF text."""
        if "\r\n" not in self.raw:
            return self.raw, []
        positions: list[int] = []
        removed = 0
        for m in CR_BEFORE_LF_RE.finditer(self.raw):
            crs = m.end() - m.start() - 1
            positions.extend([m.end() - 1 - removed - crs] * crs)
            removed += crs
        return CR_BEFORE_LF_RE.sub("\n", self.raw), positions

    def encode(self, raw: str | None = None) -> bytes:
        return self.bom + (self.raw if raw is None else raw).encode(self.encoding)


def normalize_newlines(text: str) -> str:
    """CRLF (and CR CR LF) to LF; the same rule Source.normalized maps back."""
    return CR_BEFORE_LF_RE.sub("\n", text) if "\r\n" in text else text


def raw_offset(offset: int, crlf_positions: list[int]) -> int:
    """Map an offset in the normalised text to the on-disk text."""
    return offset + bisect_left(crlf_positions, offset)


def decode(data: bytes) -> Source:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Source(data[len(bom):].decode(encoding), encoding, bom)
            except UnicodeDecodeError as exc:
                raise _decode_error(data[len(bom):], encoding, exc) from None
    if b"\x00" in data[:8192]:
        raise DecodeError("binary file (contains NUL bytes); not checked")
    try:
        return Source(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _decode_error(data, "utf-8", exc) from None


def _decode_error(data: bytes, encoding: str, exc: UnicodeDecodeError) -> DecodeError:
    lenient = data.decode(encoding, "replace")
    offset = len(data[: exc.start].decode(encoding, "replace"))
    bad = data[exc.start : exc.start + 1].hex()
    name = "UTF-8" if encoding == "utf-8" else encoding.upper()
    return DecodeError(f"not valid {name} (byte 0x{bad}); save the file as UTF-8", lenient, offset)


def read_source(path: Path) -> Source:
    with path.open("rb") as fh:
        return decode(fh.read())


# Temporary files of atomic_write end with this: a name that is never an
# article's, so a temp file left by a killed run is not checked or fixed.
TMP_SUFFIX = ".artlint-tmp"


class FileChangedError(Exception):
    """The file on disk is no longer the one that was read: someone else
    changed (``reason`` "changed") or removed it ("deleted") meanwhile."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason} while it was being fixed")
        self.path = path
        self.reason = reason


def atomic_write(path: Path, data: bytes, expected: bytes | None = None) -> bool:
    """Replace ``path``'s content through a temporary file in the same
    folder (written, fsynced, renamed over the file, the folder fsynced), so
    that a crash leaves the old file or the new one, never a mix; it keeps
    the file's mode bits and owner, and a symlink keeps pointing at its
    target. A file that does not exist yet is created with the usual mode.

    With ``expected`` (the bytes the caller read and fixed), the file is
    replaced only if it still holds exactly those bytes: if it was changed or
    deleted meanwhile, FileChangedError and nothing is written; if it already
    holds ``data`` (another run wrote the same fix), nothing is written and
    the result is False. A file whose owner has no write permission (mode
    444) is refused with PermissionError, even for root, as editors do. The
    check and the replacement run under an exclusive lock on the file
    (``flock``, where there is one), so two artlint runs fixing the same
    file take turns. An OSError while writing (a full disk) leaves the
    original untouched and no temporary file behind."""
    real = Path(os.path.realpath(path))
    held = None
    try:
        if expected is None:
            try:
                st: os.stat_result | None = real.stat()
            except FileNotFoundError:
                st = None
        else:
            held = _lock_file(real)
            if held is None:
                raise FileChangedError(path, "deleted")
            st = os.fstat(held)
            if not st.st_mode & stat.S_IWUSR:
                raise PermissionError(errno.EACCES, "read-only file (no write permission for its owner)",
                                      str(path))
            current = _read_fd(held) if st.st_size in (len(expected), len(data)) else None
            if current == data:
                return False
            if current != expected:
                raise FileChangedError(path, "changed")
        _replace(real, data, st)
        return True
    finally:
        if held is not None:
            os.close(held)  # releases the lock


def _lock_file(real: Path) -> int | None:
    """A read-only descriptor of the file now at ``real``, locked
    exclusively; None if there is no file there. Retried when the file was
    replaced while waiting for the lock (the lock is on the old one)."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the content check still runs
        fcntl = None
    for _ in range(100):
        try:
            fd = os.open(real, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except OSError:  # a file system without locks
                    pass
            now = os.stat(real)
            opened = os.fstat(fd)
        except FileNotFoundError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        if (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino):
            return fd
        os.close(fd)
    raise FileChangedError(real, "changed")


def _read_fd(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _replace(real: Path, data: bytes, st: os.stat_result | None) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if st is None:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
            else:
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)  # before chmod: chown may clear set-id bits
                except (OSError, AttributeError):
                    pass
                os.chmod(tmp, stat.S_IMODE(st.st_mode))
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(real.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------- discovery
class _GitIgnore:
    """The .gitignore files that apply below a folder (pathspec, loaded only
    when a .gitignore exists)."""

    def __init__(self) -> None:
        self.specs: list[tuple[Path, object]] = []

    def add_dir(self, d: Path) -> bool:
        gi = d / ".gitignore"
        if not gi.is_file():
            return False
        try:
            lines = gi.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return False
        import pathspec

        self.specs.append((d, pathspec.GitIgnoreSpec.from_lines(lines)))
        return True

    def ignored(self, path: Path, is_dir: bool) -> bool:
        result = False
        for base, spec in self.specs:
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            if is_dir:
                rel += "/"
            r = spec.check_file(rel)  # type: ignore[attr-defined]
            if r.include is not None:
                result = bool(r.include)
        return result


def _git_root(start: Path) -> Path | None:
    d = start
    while True:
        if (d / ".git").exists():
            return d
        if d.parent == d:
            return None
        d = d.parent


def walk_articles(top: Path, excluded) -> Iterator[Path]:
    """Article files below folder ``top`` (sorted), skipping excluded and
    git-ignored paths.  ``excluded(path)`` answers for both files and folders."""
    top_abs = top.resolve()
    ignore = _GitIgnore()
    root = _git_root(top_abs)
    if root is not None:
        # .gitignore files above ``top`` up to the repository root apply too.
        chain = []
        d = top_abs.parent
        while root in d.parents or d == root:
            chain.append(d)
            if d == root:
                break
            d = d.parent
        for d in reversed(chain):
            ignore.add_dir(d)

    def walk(d: Path, shown: Path) -> Iterator[Path]:
        before = len(ignore.specs)
        ignore.add_dir(d)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            p = d / entry.name
            shown_p = shown / entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if entry.name == ".git" or excluded(shown_p) or (ignore.specs and ignore.ignored(p, True)):
                    continue
                yield from walk(p, shown_p)
            elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES:
                # (a temporary file of atomic_write ends with TMP_SUFFIX: never here)
                if excluded(shown_p) or (ignore.specs and ignore.ignored(p, False)):
                    continue
                yield shown_p
        del ignore.specs[before:]

    yield from walk(top_abs, top)
