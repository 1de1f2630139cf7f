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
  (default false: phrases are literal text; true: Python regular
  expressions), ``description`` (the rule's documentation), ``default``
  (on by default, default true).
- ``existence``: ``tokens``, a list of phrases to flag.
- ``substitution``: ``swap``, a map of phrase -> replacement; ``fix``
  (safe|unsafe|none, default safe).
- ``consistency``: ``either``, a map of spelling -> other spelling; the
  spelling used first in an article wins; ``fix`` (default unsafe).
"""

from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from .config import ConfigError
from .document import Document
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

_cache: dict[tuple[str, float], list[RuleMeta]] = {}


def load_rule_paths(paths: list[Path], builtin: Registry) -> list[RuleMeta]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()))
        elif p.is_file():
            files.append(p)
        else:
            raise ConfigError(f"rule-paths: {p}: no such file or directory")
    out: list[RuleMeta] = []
    for f in files:
        out.extend(load_rule_file(f, builtin))
    return out


def load_rule_file(path: Path, builtin: Registry | None = None) -> list[RuleMeta]:
    try:
        key = (str(path.resolve()), os.stat(path).st_mtime)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read rule file: {exc.strerror or exc}") from None
    if key in _cache:
        return _cache[key]
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read rule file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ConfigError(f"{path}: invalid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    items = data if isinstance(data, list) else [data]
    metas = []
    for i, item in enumerate(items):
        label = f"{path}" if len(items) == 1 else f"{path}: rule {i + 1}"
        metas.append(_build(item, label, path, builtin))
    _cache[key] = metas
    return metas


def _fail(label: str, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{label}: key '{key}': {problem}")


def _build(item: Any, label: str, path: Path, builtin: Registry | None) -> RuleMeta:
    if not isinstance(item, dict):
        raise ConfigError(f"{label}: a rule must be a mapping of keys")
    rtype = item.get("type")
    if rtype not in TYPES:
        raise _fail(label, "type", f"must be one of {', '.join(TYPES)} (got {rtype!r})")
    for key in item:
        if key not in COMMON_KEYS and key not in TYPE_KEYS[rtype]:
            raise _fail(label, str(key), f"unknown key for a {rtype} rule")
    code = item.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise _fail(label, "code", "must be 2-6 capital letters followed by three digits, like ACME001")
    if code.rstrip("0123456789") in FAMILIES:
        raise _fail(label, "code", f"the family {code[:2]} is artlint's own; choose another prefix")
    name = item.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise _fail(label, "name", "must be kebab-case, like avoid-utilize")
    if builtin is not None and builtin.get(name) is not None:
        raise _fail(label, "name", f"'{name}' is already a built-in rule")
    message = item.get("message", DEFAULT_MESSAGES[rtype])
    if not isinstance(message, str):
        raise _fail(label, "message", "must be a string")
    try:
        message.format(match="x", replacement="y")
    except (KeyError, IndexError, ValueError) as exc:
        raise _fail(label, "message", f"bad placeholder {exc}; use {{match}} and {{replacement}}") from None
    try:
        severity = Severity(item.get("severity", "warning"))
    except ValueError:
        raise _fail(label, "severity", "must be error, warning or info") from None
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
        func = partial(_existence, pattern=pattern, message=message)
        fixable, swaps = "never", None
    else:
        key = "swap" if rtype == "substitution" else "either"
        table = item.get(key)
        if not isinstance(table, dict) or not table or not all(
            isinstance(k, str) and k and isinstance(v, str) for k, v in table.items()
        ):
            raise _fail(label, key, "must be a non-empty map of phrase: replacement")
        fix_kind = item.get("fix", "safe" if rtype == "substitution" else "unsafe")
        if fix_kind not in ("safe", "unsafe", "none"):
            raise _fail(label, "fix", "must be safe, unsafe or none")
        fixable = "never" if fix_kind == "none" else "always"
        if rtype == "substitution":
            pattern = _compile(list(table), flags, label, key)
            lookup = {(k.lower() if flags["ignorecase"] else k): v for k, v in table.items()}
            func = partial(_substitution, pattern=pattern, lookup=lookup, message=message,
                           fix_kind=fix_kind, ignorecase=flags["ignorecase"], regex=flags["regex"],
                           table=table)
        else:
            pairs = list(table.items())
            compiled = [(_compile([a], flags, label, key), _compile([b], flags, label, key), a, b) for a, b in pairs]
            func = partial(_consistency, pairs=compiled, message=message, fix_kind=fix_kind)
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


def _compile(phrases: list[str], flags: dict[str, bool], label: str, key: str) -> re.Pattern[str]:
    parts = []
    for p in sorted(phrases, key=len, reverse=True):
        if flags["regex"]:
            try:
                re.compile(p)
            except re.error as exc:
                raise _fail(label, key, f"invalid regular expression {p!r}: {exc}") from None
            parts.append(f"(?:{p})")
        else:
            parts.append(re.escape(p).replace(r"\ ", r"\s+"))
    body = "|".join(parts)
    if not flags["nonword"]:
        body = rf"(?<![\w-])(?:{body})(?![\w-])"
    return re.compile(body, re.IGNORECASE if flags["ignorecase"] else 0)


def _existence(doc: Document, opts: Any, *, pattern: re.Pattern[str], message: str) -> Iterator[Violation]:
    for m in pattern.finditer(doc.prose):
        if m.end() > m.start() and doc.is_prose(m.start(), m.end()):
            yield Violation(Span(m.start(), m.end()), message.format(match=m.group(), replacement=""))


def _match_case(found: str, replacement: str) -> str:
    if found.isupper() and len(found) > 1:
        return replacement.upper()
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _substitution(doc: Document, opts: Any, *, pattern: re.Pattern[str], lookup: dict[str, str],
                  message: str, fix_kind: str, ignorecase: bool, regex: bool,
                  table: dict[str, str]) -> Iterator[Violation]:
    for m in pattern.finditer(doc.prose):
        if m.end() == m.start() or not doc.is_prose(m.start(), m.end()):
            continue
        found = m.group()
        if regex:
            replacement = next((v for k, v in table.items()
                                if re.fullmatch(k, found, re.IGNORECASE if ignorecase else 0)), None)
        else:
            key = re.sub(r"\s+", " ", found)
            replacement = lookup.get(key.lower() if ignorecase else key)
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


def _consistency(doc: Document, opts: Any, *, pairs: list, message: str, fix_kind: str) -> Iterator[Violation]:
    prose = doc.prose
    for pa, pb, a, b in pairs:
        ma = [m for m in pa.finditer(prose) if doc.is_prose(m.start(), m.end())]
        mb = [m for m in pb.finditer(prose) if doc.is_prose(m.start(), m.end())]
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

