"""Compiled regular expressions kept across runs, the way Python keeps bytecode.

A pre-commit run lints one small article; before this cache, a third of its
wall time went to ``re.compile`` turning artlint's patterns (the boilerplate
phrase lists above all) into the engine's code, the same code every run.
``compile`` here returns exactly what ``re.compile`` returns, and keeps the
compiled code of each pattern in a file in the ``__pycache__`` folder of
this package, stamped with the Python version and the regular-expression
engine's magic number; a later run hands that code straight to the engine
(``_sre.compile``, which validates it) and skips parsing and compiling.

It uses the internals of ``re`` that ``re.compile`` itself calls; where they
are missing or differ (another Python), or the file is stale, unreadable or
rejected by the engine, it falls back to ``re.compile`` and nothing is lost
but the time. The file is written at exit, atomically, when the run compiled
something new and the process may write bytecode (not under
``PYTHONDONTWRITEBYTECODE``); patterns built from a user's configuration are
kept too, up to a bound, beyond which only the current run's are kept.
"""

from __future__ import annotations

import marshal
import os
import re
import sys

try:  # the parts of re that re.compile uses (3.11+: re._parser; 3.10: sre_parse)
    import _sre

    try:
        from re import _compiler as _sre_compiler, _parser as _sre_parser
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_compile as _sre_compiler  # type: ignore[no-redef]
        import sre_parse as _sre_parser  # type: ignore[no-redef]
    _sre_compiler._code  # noqa: B018 - present, or no caching
    _STAMP: tuple | None = (sys.version, sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE, 2)
    if sys.implementation.cache_tag is None:  # pragma: no cover - bytecode not kept either
        _STAMP = None
except (ImportError, AttributeError):  # pragma: no cover - another implementation
    _STAMP = None

MAX_ENTRIES = 2000
_Key = tuple  # (pattern, flags)
_entries: dict[_Key, tuple] | None = None  # what the file holds
_used: dict[_Key, tuple] = {}  # compiled by this process
_widths: dict[str, int] | None = None  # max_width's answers the file holds
_widths_used: dict[str, int] = {}
#: first_chars's answers: (the characters, whether others too) or None
_firsts: dict[str, tuple[str, bool] | None] | None = None
_firsts_used: dict[str, tuple[str, bool] | None] = {}
_dirty = False


def cache_file() -> str:
    """Where bytecode of this package goes (``__pycache__`` beside it, or
    under ``sys.pycache_prefix``), one file per Python release: two with one
    cache tag (3.11.7 and 3.11.9) would otherwise overwrite each other's
    file at every run."""
    folder = os.path.dirname(os.path.abspath(__file__))
    if sys.pycache_prefix:
        base = os.path.join(sys.pycache_prefix, os.path.splitdrive(folder)[1].lstrip(os.sep))
    else:
        base = os.path.join(folder, "__pycache__")
    return os.path.join(base, f"regex.{sys.implementation.cache_tag}.{sys.hexversion:x}.bin")


def _load() -> dict[_Key, tuple]:
    global _entries, _widths, _firsts
    if _entries is None:
        _entries, _widths, _firsts = {}, {}, {}
        try:
            with open(cache_file(), "rb") as f:
                stamp, entries, widths, firsts = marshal.loads(f.read())  # load(f) reads object by object
            if stamp == _STAMP and all(isinstance(d, dict) for d in (entries, widths, firsts)):
                _entries, _widths, _firsts = entries, widths, firsts
        except (OSError, EOFError, ValueError, TypeError):
            pass
    return _entries


def compile(pattern: str | bytes, flags: int = 0) -> re.Pattern:  # noqa: A001 - re.compile's name
    """``re.compile(pattern, flags)``, from the cache when it holds it."""
    global _dirty
    flags = int(flags)
    if _STAMP is None or flags & re.DEBUG or not isinstance(pattern, (str, bytes)):
        return re.compile(pattern, flags)
    key = (pattern, flags)
    args = _load().get(key)
    if args is not None:
        try:
            compiled = _sre.compile(pattern, *args)
        except Exception:  # noqa: BLE001 - code this engine does not take: compile anew
            pass
        else:
            _used[key] = args
            return compiled
    try:
        parsed = _sre_parser.parse(pattern, flags)
        code = _sre_compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        # plain ints: the code holds int subclasses (opcodes) that marshal refuses
        args = (int(flags | parsed.state.flags), [int(c) for c in code], int(parsed.state.groups - 1),
                {str(k): int(v) for k, v in groupindex.items()}, tuple(indexgroup))
        compiled = _sre.compile(pattern, *args)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - internals that differ: the public way, uncached
        return re.compile(pattern, flags)
    _used[key] = args
    _dirty = True
    return compiled


def max_width(pattern: str) -> int | None:
    """The most characters ``pattern`` can match (the regex parser's bound,
    which is very large for an unbounded pattern), or None where this
    Python's parser cannot say."""
    global _dirty
    if _STAMP is None:
        return None
    _load()
    assert _widths is not None
    width = _widths.get(pattern)
    if width is None:
        try:
            width = int(_sre_parser.parse(pattern).getwidth()[1])
        except Exception:  # noqa: BLE001 - not a pattern, or internals that differ
            return None
        _dirty = True
    _widths_used[pattern] = width
    return width


#: first_chars: a class of characters larger than this is taken as any.
_MAX_FIRST = 400


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` (compiled without flags) can
    start with, or None when it may start with any (a wildcard, a class
    such as \\w or [^…], a case-blind group, a pattern that can match
    nothing) or this Python's parser cannot say. "" in the set stands for
    any character outside the ASCII range that \\d matches (a digit of
    another script)."""
    global _dirty
    if _STAMP is None:
        return None
    _load()
    assert _firsts is not None
    if pattern in _firsts:
        answer = _firsts[pattern]
    else:
        try:
            parsed = _sre_parser.parse(pattern)
            if parsed.state.flags & _sre_parser.SRE_FLAG_IGNORECASE:
                found, nullable = None, False
            else:
                found, nullable = _first(parsed)
        except Exception:  # noqa: BLE001 - not a pattern, or internals that differ
            return None
        answer = None if found is None or nullable else ("".join(sorted(found - {""})), "" in found)
        _dirty = True
    _firsts_used[pattern] = answer
    if answer is None:
        return None
    return frozenset(answer[0]) | ({""} if answer[1] else set())


def _first(items) -> tuple[set[str] | None, bool]:
    """(first characters or None for any, whether it can match nothing) of a
    parsed sequence."""
    found: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return found | {chr(av)}, False
        if name == "IN":
            chars = _class_chars(av)
            return (None if chars is None else found | chars), False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # takes no character
        if name == "SUBPATTERN":
            add_flags = av[1]
            if add_flags & _sre_parser.SRE_FLAG_IGNORECASE:
                return None, False
            sub, nullable = _first(av[-1])
        elif name == "ATOMIC_GROUP":
            sub, nullable = _first(av)
        elif name == "BRANCH":
            sub, nullable = set(), False
            for branch in av[1]:
                b, n = _first(branch)
                if b is None:
                    return None, False
                sub |= b
                nullable = nullable or n
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        else:  # ANY, NOT_LITERAL, a group reference, ...
            return None, False
        if sub is None:
            return None, False
        found |= sub
        if not nullable:
            return found, False
    return found, True


def _class_chars(items) -> set[str] | None:
    """The characters of a parsed class, or None for a negated one, one with
    a category (\\w, \\d) or a large one."""
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] < _MAX_FIRST:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        elif name == "CATEGORY" and str(av) == "CATEGORY_DIGIT":
            chars.update("0123456789")
            chars.add("")  # and the digits of other scripts: any character not listed
        else:  # NEGATE, another CATEGORY, a large range, a charset
            return None
        if len(chars) > _MAX_FIRST:
            return None
    return chars


def save() -> None:
    """Write what this run compiled, with what the file held (best effort)."""
    global _dirty, _entries, _widths, _firsts
    if not _dirty or sys.dont_write_bytecode or _STAMP is None:
        return
    _dirty = False
    entries = dict(_load())
    entries.update(_used)
    widths = dict(_widths or {})
    widths.update(_widths_used)
    firsts = dict(_firsts or {})
    firsts.update(_firsts_used)
    if len(entries) > MAX_ENTRIES or len(widths) > MAX_ENTRIES or len(firsts) > MAX_ENTRIES:
        entries, widths, firsts = dict(_used), dict(_widths_used), dict(_firsts_used)
    try:
        data = marshal.dumps((_STAMP, entries, widths, firsts))
    except ValueError:
        return
    from artlint.files import atomic_write

    path = cache_file()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, data)  # type: ignore[arg-type]
    except OSError:
        return  # a read-only install: compile each time
    _entries, _widths, _firsts = entries, widths, firsts


def _at_exit() -> None:
    try:
        save()
    except Exception:  # noqa: BLE001 - a cache must never fail a run at exit
        pass


import atexit  # noqa: E402

atexit.register(_at_exit)
