"""Declarative rules in YAML: ``existence``, ``substitution`` and
``consistency`` (Vale's and proselint's type names), loaded from the
``rule-paths`` of the config.

One file holds one rule (a mapping) or several (a list of mappings)::

    code: ACME001
    name: avoid-utilize
    type: substitution
    message: "Use '{replacement}' instead of '{match}'"
    severity: warning
    ignorecase: true
    swap:
      utilize: use
      in order to: to

Keys:
- all types: ``code`` (2-6 capital letters and three digits, not a built-in
  family), ``name`` (kebab-case), ``type``, ``message`` (``{match}``; and
  ``{replacement}`` for substitution and consistency), ``severity``
  (error|warning|info, default warning), ``ignorecase`` (default true),
  ``nonword`` (default false: phrases match whole words only), ``regex``
  (default false: phrases are literal text; true: regular expressions of
  the ``regex`` module), ``description`` (the rule's documentation),
  ``default`` (on by default, default true).
- ``existence``: ``tokens``, a list of phrases to flag.
- ``substitution``: ``swap``, a map of phrase -> replacement; ``fix``
  (safe|unsafe|none, default safe).
- ``consistency``: ``either``, a map of spelling -> other spelling; the
  spelling used first in an article wins; ``fix`` (default unsafe).

Rule files come from people other than the one running artlint, so they are
read defensively: YAML's safe loader only (plain data, never Python
objects), at most ``MAX_FILE_BYTES``, ``MAX_VALUES`` values once YAML
aliases are expanded and ``MAX_DEPTH`` levels of nesting, at most
``MAX_PHRASES`` phrases of ``MAX_PHRASE_CHARS`` characters per rule. A
regular expression that can plainly backtrack exponentially is refused
(``backtracking_risk``), and every rule runs under a time limit on each
file (the config's ``rule-timeout``): one that runs out of time is stopped
and reported there as XX009. Any problem is a ConfigError of one
line naming the file, the rule and the key.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from string import Formatter
from typing import Any
from collections.abc import Iterator

import regex

try:  # the standard library's parser of regular expressions, for backtracking_risk
    from re import _constants as _sre, _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from .config import DEFAULT_RULE_TIMEOUT, ConfigError
from .document import Document
from .engine import RuleTimeout
from .registry import CODE_RE, FAMILIES, NAME_RE, Registry, RuleMeta
from .types import Edit, Fix, Severity, Span, Violation

TYPES = ("existence", "substitution", "consistency")
COMMON_KEYS = {"code", "name", "type", "message", "severity", "ignorecase", "nonword", "regex",
               "description", "default"}
TYPE_KEYS = {
    "existence": {"tokens"},
    "substitution": {"swap", "fix"},
    "consistency": {"either", "fix"},
}
DEFAULT_MESSAGES = {
    "existence": "Avoid '{match}'",
    "substitution": "Use '{replacement}' instead of '{match}'",
    "consistency": "Inconsistent spelling: '{match}' (the article uses '{replacement}' first)",
}

MAX_FILE_BYTES = 1_000_000  # one rule file
MAX_VALUES = 200_000  # values in one rule file, YAML aliases expanded
MAX_DEPTH = 16  # lists and mappings in one another
MAX_PHRASES = 10_000  # tokens, swap or either entries of one rule
MAX_PHRASE_CHARS = 1_000  # one phrase or regular expression
DEFAULT_TIMEOUT = DEFAULT_RULE_TIMEOUT  # seconds one rule may spend on one file (rule-timeout)
RULE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class DeclarativeOptions:
    """What the config sets for every rule from rule-paths (the options
    instance their functions receive)."""

    timeout: float = DEFAULT_TIMEOUT


_cache: dict[tuple[str, int, int], list[RuleMeta]] = {}


# ------------------------------------------------------------------ paths
def repository_root(folder: Path) -> Path:
    """The folder relative rule-paths must stay in: the git repository that
    holds ``folder`` (symlinks resolved), or ``folder`` itself outside one."""
    from .files import _git_root

    real = Path(os.path.realpath(folder))
    return _git_root(real) or real


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def resolve_rule_paths(entries: list[str], root: Path, where: str) -> list[tuple[Path, Path | None]]:
    """Each rule-paths entry as (path, the folder its files must stay in).
    A relative entry is taken from ``root`` (the config's folder) and must
    not lead out of the repository, by ``..`` or through a symlink; an
    absolute entry is the user's explicit choice and is taken as it is."""
    repo: Path | None = None
    out: list[tuple[Path, Path | None]] = []
    for entry in entries:
        if not entry.strip() or "\0" in entry:
            raise ConfigError(f"{where}: rule-paths: {entry!r} is not a path")
        given = Path(entry)
        if given.is_absolute():
            out.append((given, None))
            continue
        if repo is None:
            repo = repository_root(root)
        path = root / given
        real = Path(os.path.realpath(path))
        if not _inside(real, repo):
            plain = Path(os.path.normpath(Path(os.path.realpath(root)) / given))
            how = f" through a symlink (to {real})" if _inside(plain, repo) else ""
            raise ConfigError(f"{where}: rule-paths: '{entry}' leads outside the repository {repo}{how}; "
                              "give an absolute path to use rules from there")
        out.append((path, repo))
    return out


def _rule_files(folder: Path, repo: Path | None, where: str) -> list[Path]:
    """The YAML files below ``folder``, sorted; symlinked folders are not
    entered, and a symlinked file must stay inside ``repo`` (when set)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix not in RULE_SUFFIXES or not path.is_file():
                continue
            if repo is not None and path.is_symlink():
                real = Path(os.path.realpath(path))
                if not _inside(real, repo):
                    raise ConfigError(f"{where}: rule-paths: {path} leads outside the repository {repo} "
                                      f"through a symlink (to {real}); give an absolute path to use rules "
                                      "from there")
            found.append(path)
    return sorted(found)


def load_rule_paths(entries: list[str], root: Path, builtin: Registry,
                    where: str = "configuration") -> list[RuleMeta]:
    """The rules of the files and folders of ``rule-paths`` (see
    ``resolve_rule_paths``); folders are searched for ``*.yaml`` and ``*.yml``."""
    files: list[Path] = []
    for path, repo in resolve_rule_paths(entries, root, where):
        if path.is_dir():
            files.extend(_rule_files(path, repo, where))
        elif path.is_file():
            files.append(path)
        elif os.path.lexists(path) and not os.path.islink(path):
            raise ConfigError(f"{where}: rule-paths: {path}: not a file or folder")
        else:
            raise ConfigError(f"{where}: rule-paths: {path}: no such file or directory")
    out: list[RuleMeta] = []
    for f in files:
        out.extend(load_rule_file(f, builtin))
    return out


# ------------------------------------------------------------------ files
def load_rule_file(path: Path, builtin: Registry | None = None) -> list[RuleMeta]:
    try:
        st = os.stat(path)
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on older Pythons
        raise ConfigError(f"{path}: cannot read rule file: {getattr(exc, 'strerror', None) or exc}") from None
    if key in _cache:
        return _cache[key]
    data = _parse(_read(path, st.st_size), path)
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ConfigError(f"{path}: no rules in the file (an empty list)")
    metas = []
    for i, item in enumerate(items):
        label = f"{path}" if len(items) == 1 else f"{path}: rule {i + 1}"
        metas.append(_build(item, label, path, builtin))
    _cache[key] = metas
    return metas


def _too_large(path: Path, size: int) -> ConfigError:
    return ConfigError(f"{path}: rule file is too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})")


def _read(path: Path, size: int) -> str:
    if size > MAX_FILE_BYTES:
        raise _too_large(path, size)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read rule file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path, len(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                          "save the rule file as UTF-8") from None
    return text.removeprefix("\ufeff")


def _parse(text: str, path: Path) -> Any:
    """The YAML document in ``text``: plain data only (the safe loader), of
    a bounded size once aliases are expanded."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)  # a safe loader: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}: invalid YAML{where}: {_one_line(problem)}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    count = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise ConfigError(f"{path}: more than {MAX_VALUES:,} values (YAML aliases repeating a list?); "
                              "a rule file must be smaller")
        if isinstance(value, (list, dict)):
            if depth > MAX_DEPTH:
                raise ConfigError(f"{path}: lists and mappings nested more than {MAX_DEPTH} levels deep")
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return data


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _fail(label: str, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{label}: key '{_clip(key)}': {problem}")


def _clip(text: str, limit: int = 80) -> str:
    """``text`` shortened for a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _shown(pattern: str) -> str:
    r = repr(pattern)
    return r if len(r) <= 80 else r[:76] + "...'"


def _check_message(message: str, label: str) -> None:
    """``message`` may name ``{match}`` and ``{replacement}`` (and what
    ``str.format`` finds in them), but take no format spec: a width such as
    ``{match:>999999999}`` would build a gigabyte for every finding."""
    try:
        fields = [(name, spec) for _, name, spec, _ in Formatter().parse(message) if name is not None]
    except ValueError as exc:
        raise _fail(label, "message", f"bad placeholder ({exc}); use {{match}} and {{replacement}}") from None
    for name, spec in fields:
        base = re.split(r"[.\[]", name, maxsplit=1)[0]
        if base not in ("match", "replacement") or spec:
            shown = "{" + name + (f":{spec}" if spec else "") + "}"
            raise _fail(label, "message", f"bad placeholder {_clip(shown, 40)}; use {{match}} and {{replacement}}")


def _build(item: Any, label: str, path: Path, builtin: Registry | None) -> RuleMeta:
    if not isinstance(item, dict):
        raise ConfigError(f"{label}: a rule must be a mapping of keys")
    rtype = item.get("type")
    if not isinstance(rtype, str) or rtype not in TYPES:
        shown = _clip(repr(rtype), 40)
        raise _fail(label, "type", f"must be one of {', '.join(TYPES)} (got {shown})")
    for key in item:
        if key not in COMMON_KEYS and key not in TYPE_KEYS[rtype]:
            raise _fail(label, str(key), f"unknown key for a {rtype} rule")
    code = item.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise _fail(label, "code", "must be 2-6 capital letters followed by three digits, like ACME001")
    if code.rstrip("0123456789") in FAMILIES:
        raise _fail(label, "code", f"the family {code[:2]} is artlint's own; choose another prefix")
    name = item.get("name")
    if not isinstance(name, str) or len(name) > 100 or not NAME_RE.match(name):
        raise _fail(label, "name", "must be kebab-case, like avoid-utilize")
    if builtin is not None and builtin.get(name) is not None:
        raise _fail(label, "name", f"'{name}' is already a built-in rule")
    message = item.get("message", DEFAULT_MESSAGES[rtype])
    if not isinstance(message, str):
        raise _fail(label, "message", "must be a string")
    _check_message(message, label)
    severity_value = item.get("severity", "warning")
    if not isinstance(severity_value, str) or severity_value not in {s.value for s in Severity}:
        raise _fail(label, "severity", "must be error, warning or info")
    severity = Severity(severity_value)
    flags = {}
    for key in ("ignorecase", "nonword", "regex", "default"):
        value = item.get(key, key in ("ignorecase", "default"))
        if not isinstance(value, bool):
            raise _fail(label, key, "must be true or false")
        flags[key] = value
    description = item.get("description", "")
    if not isinstance(description, str):
        raise _fail(label, "description", "must be a string")

    if rtype == "existence":
        tokens = item.get("tokens")
        if not isinstance(tokens, list) or not tokens or not all(isinstance(t, str) and t for t in tokens):
            raise _fail(label, "tokens", "must be a non-empty list of phrases")
        pattern = _compile(tokens, flags, label, "tokens")
        func = partial(_timed, check=_existence, code=code, key="tokens", pattern=pattern, message=message)
        fixable, swaps = "never", None
    else:
        key = "swap" if rtype == "substitution" else "either"
        table = item.get(key)
        if not isinstance(table, dict) or not table or not all(
            isinstance(k, str) and k and isinstance(v, str) for k, v in table.items()
        ):
            raise _fail(label, key, "must be a non-empty map of phrase: replacement")
        fix_kind = item.get("fix", "safe" if rtype == "substitution" else "unsafe")
        if not isinstance(fix_kind, str) or fix_kind not in ("safe", "unsafe", "none"):
            raise _fail(label, "fix", "must be safe, unsafe or none")
        fixable = "never" if fix_kind == "none" else "always"
        if rtype == "substitution":
            pattern = _compile(list(table), flags, label, key)
            rflags = regex.IGNORECASE if flags["ignorecase"] else 0
            if flags["regex"]:
                # Each phrase's own pattern, to find which one matched (all checked by _compile).
                keys = [(regex.compile(k, rflags), v) for k, v in table.items()]
                lookup: dict[str, str] = {}
            else:
                keys = []
                lookup = {_phrase_key(k, flags["ignorecase"]): v for k, v in table.items()}
            func = partial(_timed, check=_substitution, code=code, key=key, pattern=pattern, lookup=lookup,
                           keys=keys, message=message, fix_kind=fix_kind, ignorecase=flags["ignorecase"])
        else:
            _limit(list(table), label, key)
            _limit(list(table.values()), label, key)
            pairs = list(table.items())
            compiled = [(_compile([a], flags, label, key), _compile([b], flags, label, key), a, b) for a, b in pairs]
            func = partial(_timed, check=_consistency, code=code, key=key, pairs=compiled, message=message,
                           fix_kind=fix_kind)
        swaps = table
    doc = _doc(rtype, description, item, swaps)
    return RuleMeta(
        code=code,
        name=name,
        summary=(description.strip().splitlines() or [f"{rtype} rule from {path.name}"])[0].rstrip("."),
        doc=doc,
        severity=severity,
        fixable=fixable,
        default_enabled=flags["default"],
        func=func,
        options=None,
        origin=str(path),
    )


# -------------------------------------------------------------- patterns
_SPACE_RUN = 64  # the most whitespace a run of spaces in a literal phrase matches
_SPACE = rf"\s{{1,{_SPACE_RUN}}}"  # (bounded: a match of a phrase list has a longest length)
_SPACES = "  "  # its key in a trie of phrases (every other key is one character)
_WINDOW = 1 << 16  # characters a phrase list is searched in between looks at the clock
_MAX_NESTING = 50  # groups within groups in a phrase list's pattern (a trie)
_REGEX_ERRORS = (regex.error, RecursionError, OverflowError, ValueError, MemoryError)


def _limit(phrases: list[str], label: str, key: str) -> None:
    if len(phrases) > MAX_PHRASES:
        raise _fail(label, key, f"{len(phrases):,} phrases; at most {MAX_PHRASES:,} in one rule")
    for p in phrases:
        if len(p) > MAX_PHRASE_CHARS:
            raise _fail(label, key, f"a phrase of {len(p):,} characters ({_shown(p)}); "
                                    f"at most {MAX_PHRASE_CHARS:,}")


def _phrase_key(phrase: str, ignorecase: bool) -> str:
    key = re.sub(r"\s+", " ", phrase)
    return key.lower() if ignorecase else key


@dataclass(frozen=True)
class _Finder:
    """Finds a rule's phrases in a text within the rule's time.

    Regular expressions (``regex: true``) run on the regex module with its
    ``timeout``. A list of literal phrases is a trie the standard ``re``
    module runs far faster (the regex module takes seconds on a few
    thousand long phrases); it cannot backtrack beyond the longest phrase,
    and is run on windows of the text with a look at the clock between
    them."""

    pattern: Any  # regex.Pattern, or re.Pattern for literal phrases
    longest: int = 0  # literal phrases: the most characters one match spans (0 for a regex)

    def finditer(self, text: str, clock: _Clock) -> Iterator[Any]:
        if not self.longest:
            return self.pattern.finditer(text, timeout=clock.left())
        return _windows(self.pattern, text, clock, self.longest)


def _windows(pattern: re.Pattern[str], text: str, clock: _Clock, longest: int) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, a window at a time. The matches that start
    in a window are found in it and ``longest`` characters more (and one
    for the look-ahead), so each is what a search of the whole text finds."""
    n = len(text)
    pos = 0
    while pos < n:
        clock.left()
        stop = pos + _WINDOW
        end = min(n, stop + longest + 1)
        after = stop
        for m in pattern.finditer(text, pos, end):
            if m.start() >= stop and end < n:
                break
            yield m
            after = max(after, m.end())
        if end >= n:
            return
        pos = after


def _compile(phrases: list[str], flags: dict[str, bool], label: str, key: str) -> _Finder:
    """What finds any of ``phrases``: literal text (a run of spaces
    matching any whitespace) or, with ``regex``, regular expressions, each
    checked for exponential backtracking."""
    _limit(phrases, label, key)
    rflags = regex.IGNORECASE if flags["ignorecase"] else 0
    if not flags["regex"]:
        body, longest = _literal_pattern(phrases, flags["ignorecase"])
        if not flags["nonword"]:
            body = rf"(?<![\w-])(?:{body})(?![\w-])"
        try:
            return _Finder(re.compile(body, re.IGNORECASE if flags["ignorecase"] else 0), longest)
        except (re.error, RecursionError, OverflowError) as exc:
            raise _fail(label, key, f"the phrases do not make one pattern: {_one_line(exc)}") from None
    plain = regex.compile("", rflags).flags
    for p in phrases:
        try:
            compiled = regex.compile(p, rflags)
        except RecursionError:
            raise _fail(label, key, f"invalid regular expression {_shown(p)}: nested too deeply") from None
        except _REGEX_ERRORS as exc:
            raise _fail(label, key, f"invalid regular expression {_shown(p)}: {_one_line(exc)}") from None
        if compiled.flags != plain:  # joined with the others, it would change them too
            raise _fail(label, key, f"the regular expression {_shown(p)} sets a flag for the whole rule, like "
                                    "(?i) or (?x); use the rule's ignorecase, or scope the flag: (?i:...)")
        reason = backtracking_risk(p, flags["ignorecase"])
        if reason is not None:
            raise _fail(label, key, f"the regular expression {_shown(p)} can backtrack exponentially "
                                    f"({reason}); rewrite it, or make the inner repetition possessive "
                                    "(a++) or atomic (?>...)")
    body = "|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True))
    if not flags["nonword"]:
        body = rf"(?<![\w-])(?:{body})(?![\w-])"
    try:
        return _Finder(regex.compile(body, rflags))
    except _REGEX_ERRORS as exc:
        raise _fail(label, key, f"the phrases do not make one regular expression: {_one_line(exc)}") from None


def _units(phrase: str, ignorecase: bool) -> list[str]:
    """A literal phrase as trie keys: its characters (lower-cased with
    ``ignorecase``), and ``_SPACES`` for each run of spaces."""
    out: list[str] = []
    for ch in phrase.lower() if ignorecase and len(phrase.lower()) == len(phrase) else phrase:
        if ch == " ":
            if not out or out[-1] != _SPACES:
                out.append(_SPACES)
        else:
            out.append(ch)
    return out


def _escape(units: list[str]) -> str:
    return "".join(_SPACE if u == _SPACES else re.escape(u) for u in units)


def _literal_pattern(phrases: list[str], ignorecase: bool) -> tuple[str, int]:
    """A pattern for a list of literal phrases, as a trie (``very(?:\\s+much)?``):
    at each position only the phrases that share what was read so far are
    tried, so a list of thousands costs little more than one phrase. The
    longest phrase that fits wins, as in a list sorted longest first (that
    list is the fallback for a trie nested too deeply to compile); and the
    most characters a match can span."""
    end = ""  # the key that marks the end of a phrase (keys are never empty)
    root: dict[str, dict] = {}
    longest = 0
    for p in phrases:
        node = root
        units = _units(p, ignorecase)
        for unit in units:
            node = node.setdefault(unit, {})
        node[end] = {}
        longest = max(longest, len(units) + (_SPACE_RUN - 1) * units.count(_SPACES))
    deepest = 0
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        kids = [c for u, c in node.items() if u != end]
        if len(kids) > 1 or (kids and end in node):
            depth += 1
        deepest = max(deepest, depth)
        stack.extend((c, depth) for c in kids)
    if deepest > _MAX_NESTING:
        ordered = sorted({_escape(_units(p, ignorecase)) for p in phrases}, key=len, reverse=True)
        return "|".join(ordered), longest

    def render(node: dict) -> str:
        alternatives = []
        for unit, child in sorted(node.items()):
            if unit == end:
                continue
            units = [unit]
            while len(child) == 1 and end not in child:  # a chain of single letters: no group
                (unit, child), = child.items()
                units.append(unit)
            alternatives.append(_escape(units) + render(child))
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return f"(?:{body})?" if end in node else body

    return render(root), longest


class _Clock:
    """The time one rule has left on one file."""

    __slots__ = ("deadline",)

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left, for a ``timeout=``; TimeoutError when none are."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("out of time")
        return left


def _timed(doc: Document, opts: Any, *, check, code: str, key: str, **kwargs: Any) -> Iterator[Violation]:
    """Run ``check`` with the rule-timeout: a pattern that runs out of time
    (regex's own TimeoutError, or the clock's) stops the rule on this file."""
    seconds = getattr(opts, "timeout", DEFAULT_TIMEOUT)
    clock = _Clock(seconds)
    try:
        yield from check(doc, clock, **kwargs)
    except TimeoutError:
        raise RuleTimeout(f"{code} was stopped after {seconds:g} s on this file: its '{key}' pattern took too "
                          f"long (does it backtrack?); findings of {code} here may be missing") from None


def _existence(doc: Document, clock: _Clock, *, pattern: _Finder, message: str) -> Iterator[Violation]:
    for m in pattern.finditer(doc.prose, clock):
        if m.end() > m.start() and doc.is_prose(m.start(), m.end()):
            yield Violation(Span(m.start(), m.end()), message.format(match=m.group(), replacement=""))


def _match_case(found: str, replacement: str) -> str:
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _substitution(doc: Document, clock: _Clock, *, pattern: _Finder, lookup: dict[str, str],
                  keys: list[tuple[regex.Pattern, str]], message: str, fix_kind: str,
                  ignorecase: bool) -> Iterator[Violation]:
    for m in pattern.finditer(doc.prose, clock):
        if m.end() == m.start() or not doc.is_prose(m.start(), m.end()):
            continue
        found = m.group()
        if keys:
            replacement = next((v for k, v in keys if k.fullmatch(found, timeout=clock.left())), None)
        else:
            replacement = lookup.get(_phrase_key(found, ignorecase))
        if replacement is None:
            continue
        replacement = _match_case(found, replacement)
        if replacement == found:
            continue
        fix = None
        if fix_kind != "none":
            make = Fix.safe if fix_kind == "safe" else Fix.unsafe
            fix = make(f"Replace with '{replacement}'", Edit.replace(m.start(), m.end(), replacement))
        yield Violation(Span(m.start(), m.end()), message.format(match=found, replacement=replacement), fix)


def _consistency(doc: Document, clock: _Clock, *, pairs: list, message: str, fix_kind: str) -> Iterator[Violation]:
    prose = doc.prose
    for pa, pb, a, b in pairs:
        ma = [m for m in pa.finditer(prose, clock) if doc.is_prose(m.start(), m.end())]
        mb = [m for m in pb.finditer(prose, clock) if doc.is_prose(m.start(), m.end())]
        if not ma or not mb:
            continue
        first_a = ma[0].start() < mb[0].start()
        keep, other = (a, mb) if first_a else (b, ma)
        for m in other:
            replacement = _match_case(m.group(), keep)
            fix = None
            if fix_kind != "none":
                make = Fix.safe if fix_kind == "safe" else Fix.unsafe
                fix = make(f"Replace with '{replacement}'", Edit.replace(m.start(), m.end(), replacement))
            yield Violation(Span(m.start(), m.end()), message.format(match=m.group(), replacement=keep), fix)


# ------------------------------------------------- backtracking, statically
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT)  # the ones that give back what they took
_POSSESSIVE = getattr(_sre, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
# The characters the check tries: ASCII, some others, and those the pattern names.
_SAMPLE = ("\t\n\x0b\x0c\r" + "".join(map(chr, range(32, 127)))
           + "\x85\xa0\xad\xb2\xb5\xdf\xe9\u0130\u0131\u017f\u03a3\u03c3\u0416\u0660\u2009\u2013\u2019\u201c"
           + "\u2028\u212a\u3000\u4e2d")


def backtracking_risk(pattern: str, ignorecase: bool = False) -> str | None:
    r"""Why ``pattern`` can backtrack exponentially, or None.

    A static look at each repetition (``*``, ``+``, ``{m,n}`` with n > 1):
    the text it repeats over must split into rounds in one way only. It is
    refused when the repeated part can match empty text (``(a*)*``), holds a
    repetition that can make up a whole round (``(a+)+``, ``(\w+\s?)+``),
    offers the same alternative twice (``(a|a)*``), ends with a repetition
    that can also start the next round (``(\w+ \w+)+``, ``(?:a|aa)+``), or
    holds two repetitions side by side that can take the same characters
    (``(\w+\s*\w+)+``). Possessive repetitions and atomic groups never give
    back what they took and are not judged. Character classes are compared
    on a sample of characters. What this misses (polynomial patterns such
    as ``\w+\w+\w+x``; the regex module's own syntax, which is not parsed
    here) the time limit stops."""
    try:
        parsed = _sre_parse.parse(pattern)
        ignorecase = ignorecase or bool(parsed.state.flags & re.IGNORECASE)
        return _Risk(parsed, ignorecase).find()
    except Exception:  # noqa: BLE001 - the regex module's syntax, or a tree deeper than Python's stack
        return None


class _Risk:
    def __init__(self, parsed: Any, ignorecase: bool) -> None:
        self.parsed = parsed
        self.state = parsed.state
        self.ignorecase = ignorecase
        sample = set(_SAMPLE)
        for op, av in self._items(parsed):
            if op in (_sre.LITERAL, _sre.NOT_LITERAL):
                sample.add(chr(av))
            elif op is _sre.IN:
                for sop, sav in av:
                    if sop is _sre.LITERAL:
                        sample.add(chr(sav))
                    elif sop is _sre.RANGE:
                        sample.update((chr(sav[0]), chr(sav[1])))
        if ignorecase:
            sample.update(v for c in list(sample) for v in (c.lower(), c.upper()) if len(v) == 1)
        self.sample = sorted(sample)
        self.memo: dict[tuple[str, int], Any] = {}

    # The tree: a sequence is a SubPattern or a list of (op, av) items.
    def _children(self, item: tuple) -> list:
        op, av = item
        if op is _sre.SUBPATTERN:
            return [av[-1]]
        if op in _REPEATS or (_POSSESSIVE is not None and op is _POSSESSIVE):
            return [av[2]]
        if op is _sre.BRANCH:
            return list(av[1])
        if _ATOMIC is not None and op is _ATOMIC:
            return [av]
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            return [av[1]]
        if op is _sre.GROUPREF_EXISTS:
            return [av[1]] + ([av[2]] if av[2] is not None else [])
        return []

    def _items(self, seq: Any) -> Iterator[tuple]:
        stack = [iter(seq)]
        while stack:
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
                continue
            yield item
            stack.extend(iter(child) for child in self._children(item))

    def find(self) -> str | None:
        for item in self._items(self.parsed):
            op, av = item
            if op in _REPEATS and av[1] >= 2:
                reason = self._round(list(av[2]))
                if reason is not None:
                    return reason
        return None

    def _round(self, items: list) -> str | None:
        """Why a repetition of ``items`` can split a text into rounds in many ways."""
        while len(items) == 1 and items[0][0] is _sre.SUBPATTERN:
            items = list(items[0][1][-1])
        seq = [it for it in items if it[0] not in _ZERO_WIDTH]
        if all(self.nullable(it) for it in seq):
            return "the repeated part can match empty text"
        if self.reducible(seq):
            return "a repetition inside a repetition"
        if self.same_alternatives(seq):
            return "alternatives that match the same text, repeated"
        last, first = seq[-1], seq[0]
        if (self.choice(last) and self.chars(last) & self.first(seq)) or (
                self.choice(first) and self.chars(first) & self.last(seq)):
            return "the end of one round can also start the next"
        for i, item in enumerate(seq):
            if not self.choice(item):
                continue
            taken = self.chars(item)
            for after in seq[i + 1:]:
                if self.choice(after) and taken & self.first([after]):
                    return "repetitions side by side that can take the same characters, repeated"
                if not self.nullable(after):
                    break
        return None

    def _cached(self, kind: str, item: tuple, compute) -> Any:
        key = (kind, id(item))
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def nullable(self, item: tuple) -> bool:
        return self._cached("nullable", item, lambda: _sre_parse.SubPattern(self.state, [item]).getwidth()[0] == 0)

    def choice(self, item: tuple) -> bool:
        """Can ``item`` match at one place in more than one way (and give back)?"""
        op, av = item
        if op in _REPEATS:
            return av[0] != av[1] or any(self.choice(i) for i in av[2])
        if op is _sre.SUBPATTERN:
            return any(self.choice(i) for i in av[-1])
        return op in (_sre.BRANCH, _sre.GROUPREF_EXISTS)

    def reducible(self, seq: list) -> bool:
        """Can ``seq`` match with nothing but the rounds of a repetition in it?"""
        seq = [it for it in seq if it[0] not in _ZERO_WIDTH]
        return any(self._repeats(it) and all(self.nullable(o) for o in seq if o is not it) for it in seq)

    def _repeats(self, item: tuple) -> bool:
        op, av = item
        if op in _REPEATS:
            return (av[1] > 1 and av[0] != av[1]) or (av[1] >= 1 and self.reducible(list(av[2])))
        if op is _sre.SUBPATTERN:
            return self.reducible(list(av[-1]))
        if op is _sre.BRANCH:
            return any(self.reducible(list(b)) for b in av[1])
        return False

    def same_alternatives(self, seq: list) -> bool:
        for op, av in seq:
            if op is _sre.SUBPATTERN and self.same_alternatives(list(av[-1])):
                return True
            if op is _sre.BRANCH:
                shapes = [_shape(b) for b in av[1]]
                if len(set(shapes)) < len(shapes) or any(self.same_alternatives(list(b)) for b in av[1]):
                    return True
        return False

    def chars(self, item: tuple) -> frozenset[str]:
        """Every character ``item`` can consume."""
        def compute() -> frozenset[str]:
            op, av = item
            if op in _ZERO_WIDTH or op is _sre.GROUPREF:
                return frozenset()
            if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
                return frozenset(c for c in self.sample if self._matches(op, av, c))
            out: frozenset[str] = frozenset()
            for child in self._children(item):
                for it in child:
                    out |= self.chars(it)
            return out

        return self._cached("chars", item, compute)

    def first(self, seq: list) -> frozenset[str]:
        """The characters a match of ``seq`` can start with."""
        out: frozenset[str] = frozenset()
        for item in seq:
            out |= self._edge(item, self.first)
            if not self.nullable(item):
                break
        return out

    def last(self, seq: list) -> frozenset[str]:
        """The characters a match of ``seq`` can end with."""
        out: frozenset[str] = frozenset()
        for item in reversed(seq):
            out |= self._edge(item, self.last)
            if not self.nullable(item):
                break
        return out

    def _edge(self, item: tuple, side) -> frozenset[str]:
        op, av = item
        if op in _ZERO_WIDTH or op is _sre.GROUPREF:
            return frozenset()
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN):
            return self.chars(item)
        if op in _REPEATS or (_POSSESSIVE is not None and op is _POSSESSIVE):
            return side(list(av[2])) if av[1] > 0 else frozenset()
        out: frozenset[str] = frozenset()
        for child in self._children(item):
            out |= side(list(child))
        return out

    def _same(self, c: str, code: int) -> bool:
        if ord(c) == code:
            return True
        other = chr(code)
        return self.ignorecase and (c.lower() == other.lower() or c.upper() == other.upper())

    def _matches(self, op: Any, av: Any, c: str) -> bool:
        if op is _sre.ANY:
            return True
        if op is _sre.LITERAL:
            return self._same(c, av)
        if op is _sre.NOT_LITERAL:
            return not self._same(c, av)
        negate = hit = False
        variants = {c, c.lower(), c.upper()} if self.ignorecase else {c}
        for sop, sav in av:
            if sop is _sre.NEGATE:
                negate = True
            elif sop is _sre.LITERAL:
                hit = hit or self._same(c, sav)
            elif sop is _sre.RANGE:
                hit = hit or any(len(v) == 1 and sav[0] <= ord(v) <= sav[1] for v in variants)
            elif sop is _sre.CATEGORY:
                hit = hit or _category(str(sav), c)
            else:  # something new: assume it overlaps
                hit = True
        return hit != negate


def _category(name: str, c: str) -> bool:
    kind = name.rsplit("_", 1)[-1]
    has = {
        "DIGIT": c.isdecimal(),
        "SPACE": c.isspace(),
        "WORD": c.isalnum() or c == "_",
        "LINEBREAK": c == "\n",
    }.get(kind, True)
    return not has if "_NOT_" in name else has


def _shape(seq: Any) -> Any:
    """A comparable form of a parsed sequence."""
    if isinstance(seq, _sre_parse.SubPattern):
        seq = seq.data
    if isinstance(seq, (list, tuple)):
        return tuple(_shape(x) for x in seq)
    return seq


def _doc(rtype: str, description: str, item: dict, table: dict | None) -> str:
    what = description.strip() or f"A {rtype} rule defined in YAML."
    if rtype == "existence":
        example = item["tokens"][0]
        details = "Flags: " + ", ".join(f"'{t}'" for t in item["tokens"])
    elif rtype == "substitution":
        example = next(iter(table))
        details = "Swaps: " + ", ".join(f"'{k}' → '{v}'" for k, v in table.items())
    else:
        example = next(iter(table))
        details = "Pairs: " + ", ".join(f"'{k}' / '{v}'" for k, v in table.items())
    return (
        f"## What it does\n{what}\n\n{details}\n\n"
        f"## Why is this bad?\nThe house style says so.\n\n"
        f"## Example\n```text\n{example}\n```\n\n"
        f"## Use instead\nWhat the message suggests.\n\n"
        f"## Fix safety\n"
        + ("No fix." if rtype == "existence" or item.get("fix") == "none" else
           f"{item.get('fix', 'safe' if rtype == 'substitution' else 'unsafe').capitalize()}, as the rule file sets.")
    )

