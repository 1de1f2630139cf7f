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
from pathlib import Path
from collections.abc import Callable, Iterator

from .document import ARTICLE_SUFFIXES
from .recache import compile as re_compile

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


CR_BEFORE_LF_RE = re_compile(r"\r+\n")
_BINARY_PROBE = 8192  # decode takes a file with a NUL byte in this many for binary


class DecodeError(Exception):
    """The bytes are not an article artlint can read. ``offset`` is the
    character offset of the problem in a lenient decoding (for a line/column)."""

    def __init__(self, message: str, text: str = "", offset: int = 0) -> None:
        super().__init__(message)
        self.text = text
        self.offset = offset


class Source:
    """An article's text as on disk (line endings kept) and how it was encoded."""

    __slots__ = ("raw", "encoding", "bom")

    def __init__(self, raw: str, encoding: str = "utf-8", bom: bytes = b"") -> None:
        self.raw = raw
        self.encoding = encoding
        self.bom = bom

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Source:
            return NotImplemented
        return (self.raw, self.encoding, self.bom) == (other.raw, other.encoding, other.bom)  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment] - mutable

    def __repr__(self) -> str:
        return f"Source(raw={self.raw!r}, encoding={self.encoding!r}, bom={self.bom!r})"

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

    def reads_back(self, raw: str) -> bool:
        """Whether ``raw``, saved with this encoding and BOM, is read back as
        it is: not when it starts with what reads as a byte-order mark (U+FEFF
        in a file without one; U+0000 after a UTF-16-LE BOM, together UTF-32's)
        or, without a BOM, holds a NUL byte where ``decode`` looks for one."""
        head = raw[:_BINARY_PROBE]  # at least as many bytes as decode probes
        try:
            back = decode(self.encode(head))
        except (DecodeError, UnicodeError):
            return False
        return back.raw == head and back.encoding == self.encoding and back.bom == self.bom


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
    if b"\x00" in data[:_BINARY_PROBE]:
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
    when a .gitignore exists). Folders and paths are strings."""

    def __init__(self) -> None:
        self.specs: list[tuple[str, object]] = []

    def add_dir(self, d: str) -> bool:
        gi = os.path.join(d, ".gitignore")
        if not os.path.isfile(gi):
            return False
        try:
            with open(gi, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return False
        import pathspec

        self.specs.append((os.path.join(d, ""), pathspec.GitIgnoreSpec.from_lines(lines)))
        return True

    def ignored(self, path: str, is_dir: bool) -> bool:
        result = False
        for base, spec in self.specs:
            if not path.startswith(base):
                continue
            rel = path[len(base):].replace(os.sep, "/")
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


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def walk_articles(top: Path, excluded, warn: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Article files below folder ``top`` (sorted), skipping excluded and
    git-ignored paths; what ``walk_article_paths`` finds, as paths."""
    for shown, _ in walk_article_paths(top, excluded, warn):
        yield Path(shown)


def walk_article_paths(top: Path | str, excluded,
                       warn: Callable[[str], None] | None = None) -> Iterator[tuple[str, str]]:
    """(shown, real) for the article files below folder ``top``, sorted:
    the path under ``top`` as given and the file's real path (strings: a
    run may walk 100,000 files), skipping excluded and git-ignored paths.
    ``excluded(path)`` answers for both files and folders (a string under
    ``top``).

    Symlinks: a symlinked file is an article like any other (``find_targets``
    checks each real file once). A symlinked folder is entered when it leads
    out of the tree being walked; one that leads back into the tree is not
    (its files are found under their own names), nor one that leads to a
    folder holding it (a loop: reported through ``warn``), nor a folder
    already walked. So the walk ends, and reads each real folder once.
    Broken symlinks, symlink loops and files that are not regular files
    (a FIFO would block the run) are skipped, each with a warning when its
    name is an article's."""
    top_abs = Path(top).resolve()
    tree = str(top_abs)
    say = warn or (lambda message: None)
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
            ignore.add_dir(str(d))
    walked: set[tuple[int, int]] = set()  # real folders entered, by device and inode
    holding: set[tuple[int, int]] = set()  # the folders being walked, from ``top`` down
    try:
        st = os.stat(top_abs)
        walked.add((st.st_dev, st.st_ino))
    except OSError:
        pass

    def enter(entry: os.DirEntry, shown_p: str, real_d: str) -> tuple[str, tuple[int, int]] | None:
        """(real path, identity) of a folder entry to walk, or None to leave it."""
        try:
            st = entry.stat()
        except OSError:
            return None
        key = (st.st_dev, st.st_ino)
        if not entry.is_symlink():
            if key in walked:  # a bind mount seen before
                return None
            walked.add(key)
            return os.path.join(real_d, entry.name), key
        real = os.path.realpath(entry.path)
        if key in holding or _inside(real_d, real):
            say(f"{shown_p}: symlink loop (it leads back to a folder that holds it); not followed")
            return None
        if key in walked or _inside(real, tree):
            return None  # walked already, or to be walked under its own name
        walked.add(key)
        return real, key

    def readable(entry: os.DirEntry, shown_p: str) -> bool:
        """Is this article entry a regular file (through its symlinks)?"""
        try:
            if entry.is_file():
                return True
            os.stat(entry.path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                say(f"{shown_p}: symlink loop; skipped")
            elif entry.is_symlink():
                try:
                    target = os.readlink(entry.path)
                except OSError:
                    target = "?"
                say(f"{shown_p}: broken symlink (to {target}); skipped")
            else:
                say(f"{shown_p}: cannot read: {exc.strerror or exc}; skipped")
            return False
        say(f"{shown_p}: not a regular file; skipped")
        return False

    def walk(d: str, shown: str, real_d: str, key: tuple[int, int] | None) -> Iterator[tuple[str, str]]:
        if key is not None:
            holding.add(key)
        before = len(ignore.specs)
        ignore.add_dir(d)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            p = entry.path
            shown_p = entry.name if shown == "." else os.path.join(shown, entry.name)  # as pathlib joins
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop: not a folder to enter
                is_dir = False
            if is_dir:
                if entry.name == ".git" or excluded(shown_p) or (ignore.specs and ignore.ignored(p, True)):
                    continue
                found = enter(entry, shown_p, real_d)
                if found is not None:
                    yield from walk(p, shown_p, *found)
            elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES:
                # (a temporary file of atomic_write ends with TMP_SUFFIX: never here)
                if excluded(shown_p) or (ignore.specs and ignore.ignored(p, False)):
                    continue
                if readable(entry, shown_p):
                    real = os.path.realpath(p) if entry.is_symlink() else os.path.join(real_d, entry.name)
                    yield shown_p, real
        del ignore.specs[before:]
        holding.discard(key)  # type: ignore[arg-type]

    yield from walk(tree, str(Path(top)), tree, next(iter(walked), None))
