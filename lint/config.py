"""Configuration: discovery, validation and rule selection.

Sources, nearest to the file wins (no merging): ``.artlint.toml``,
``artlint.toml`` (keys at the top level) or ``pyproject.toml`` (keys under
``[tool.artlint]``).  ``--config PATH`` replaces discovery.  Command-line
``--select/--ignore/--extend-select`` are applied on top, the way ruff does.
"""

from __future__ import annotations

import math
import os
import re
import sys
import typing
from fnmatch import fnmatchcase, translate
from pathlib import Path
from typing import Any

from .recache import compile as re_compile
from .registry import BUILTIN, Registry, RuleMeta, load_builtin_rules
from .types import Record, Severity



def _tomllib():
    """The TOML parser, imported when a config file is read (a run without
    one does not pay for it)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib

CONFIG_NAMES = (".artlint.toml", "artlint.toml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 10_000_000
DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__",
    ".artlint_cache", ".mypy_cache", ".pytest_cache", ".tox", "build", "dist",
    # Text files in repositories that are not articles.
    "requirements*.txt", "constraints*.txt", "LICENSE*", "LICENCE*", "COPYING*", "NOTICE*",
    "CMakeLists.txt", "robots.txt",
)
# Engine diagnostics that stay on whatever is selected (only an explicit
# ignore turns them off): a file nobody could check must never pass silently,
# nor a run whose grammar server did not answer (XX007), nor a fix that could
# not be written (XX008). (A rule stopped for taking too long is XX009, or
# XX006 when XX009 is not selected: see engine.lint_document.)
ENGINE_ALWAYS = frozenset({"XX001", "XX003", "XX005", "XX006", "XX007", "XX008", "XX010"})
# Bounds on what a config file may hold: it may come from anyone (a pull
# request), and a value past them is an error of one line, not a run that
# eats memory or time.
MAX_CONFIG_BYTES = 1_000_000
MAX_CONFIG_DEPTH = 8  # tables and arrays in one another
MAX_CONFIG_STRING = 10_000  # characters in one string (a glob, a selector, a URL, a pattern)
MAX_CONFIG_ITEMS = 100_000  # entries in one array or table
MAX_INT = 2**63 - 1  # TOML's own range
MAX_RULE_TIMEOUT = 3600.0
DEFAULT_RULE_TIMEOUT = 1.0  # seconds one YAML rule may spend on one file (rule-timeout)

TOP_LEVEL_KEYS = {
    "select": "list of rule selectors",
    "ignore": "list of rule selectors",
    "extend-select": "list of rule selectors",
    "per-file-ignores": "table of glob = list of rule selectors",
    "severity": "table of rule selector = error|warning|info",
    "fail-level": "error|warning|info",
    "rule-paths": "list of paths to YAML rule files or folders",
    "exclude": "list of glob patterns",
    "extend-exclude": "list of glob patterns",
    "max-file-size": "size in bytes",
    "rule-timeout": "seconds a rule of rule-paths may run on one file",
}


class ConfigError(Exception):
    """A configuration problem: reported as one line, exit status 2."""


class Layer(Record):
    """One set of selection settings (a config file, or the command line)."""

    __slots__ = _fields = ("select", "extend_select", "ignore", "source")
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    source: str

    def __init__(self, select: tuple[str, ...] | None = None, extend_select: tuple[str, ...] = (),
                 ignore: tuple[str, ...] = (), source: str = "command line") -> None:
        object.__setattr__(self, "select", select)
        object.__setattr__(self, "extend_select", extend_select)
        object.__setattr__(self, "ignore", ignore)
        object.__setattr__(self, "source", source)


class Settings:
    """A resolved configuration: what runs on the files it governs."""

    _FIELDS = ("path", "root", "registry", "enabled", "severity", "options", "per_file_ignores", "fail_level",
               "exclude", "extend_exclude", "max_file_size", "raw")

    def __init__(
        self,
        path: Path | None,
        root: Path,
        registry: Registry,
        enabled: dict[str, RuleMeta],
        severity: dict[str, Severity],
        options: dict[str, Any],  # code -> options instance (or None)
        per_file_ignores: list[tuple[str, tuple[str, ...]]],
        fail_level: Severity = Severity.WARNING,
        exclude: tuple[str, ...] = DEFAULT_EXCLUDE,
        extend_exclude: tuple[str, ...] = (),
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        raw: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.root = root
        self.registry = registry
        self.enabled = enabled
        self.severity = severity
        self.options = options
        self.per_file_ignores = per_file_ignores
        self.fail_level = fail_level
        self.exclude = exclude
        self.extend_exclude = extend_exclude
        self.max_file_size = max_file_size
        self.raw: dict[str, Any] = {} if raw is None else raw
        # Worked out on first use, per run.
        self._pfi_cache: dict[str, frozenset[str]] = {}
        self._roots: tuple[str, str, dict[str, str]] | None = None
        self._exclude_patterns: tuple[re.Pattern[str] | None, tuple[str, ...]] | None = None

    def copy(self, **changes: Any) -> Settings:
        """New settings with some fields changed (nothing worked out kept)."""
        values = {name: getattr(self, name) for name in self._FIELDS}
        values.update(changes)
        return Settings(**values)

    def __repr__(self) -> str:
        return f"Settings(path={self.path!r}, enabled={list(self.enabled)})"

    def ignored_for(self, path: str | None) -> frozenset[str]:
        """Codes that per-file-ignores turns off for ``path``."""
        if not path or not self.per_file_ignores:
            return frozenset()
        cached = self._pfi_cache.get(path)
        if cached is not None:
            return cached
        p = Path(path)
        try:
            rel = os.path.relpath(p.resolve(), self.root.resolve()).replace(os.sep, "/")
        except ValueError:
            rel = p.as_posix()
        out: set[str] = set()
        for pattern, selectors in self.per_file_ignores:
            pat = pattern.lstrip("./") if pattern.startswith("./") else pattern
            if fnmatchcase(rel, pat) or ("/" not in pat and fnmatchcase(p.name, pat)):
                for sel in selectors:
                    out.update(self.registry.match(sel)[0])
        result = frozenset(out)
        self._pfi_cache[path] = result
        return result

    def excludes(self, path: Path) -> bool:
        """Is ``path``, or a folder between it and the config's folder,
        excluded? (What ``--force-exclude`` and the language server skip.)"""
        root = self.root.resolve()
        p = path.resolve()
        while p != root and root in p.parents:
            if self.is_excluded(p):
                return True
            p = p.parent
        return False

    def _relative(self, path: Path | str) -> str:
        """``path`` relative to the config's folder, with forward slashes:
        without touching the disk when it lies plainly below the folder,
        through symlinks otherwise."""
        roots = self._roots
        if roots is None:
            roots = self._roots = (os.path.abspath(self.root), os.path.realpath(self.root), {})
        try:
            absolute = os.path.abspath(path)
            rel = os.path.relpath(absolute, roots[0])
            if rel.startswith(".."):
                folder, name = os.path.split(absolute)
                real = roots[2].get(folder)
                if real is None:
                    real = roots[2][folder] = os.path.realpath(folder)
                rel = os.path.relpath(os.path.join(real, name), roots[1])
        except ValueError:
            return Path(path).as_posix()
        return rel.replace(os.sep, "/")

    def is_excluded(self, path: Path | str) -> bool:
        patterns = self._exclude_patterns
        if patterns is None:
            # Prepared once per run: the patterns that name a file or folder
            # as one regular expression, and those that name a path.
            stripped = [pat.strip("/") for pat in self.exclude + self.extend_exclude]
            names = [translate(p) for p in stripped if "/" not in p]
            patterns = self._exclude_patterns = (
                re_compile("|".join(names)) if names else None, tuple(p for p in stripped if "/" in p))
        by_name, by_path = patterns
        if by_name is not None and by_name.match(os.path.basename(path)):
            return True
        if by_path:
            rel = self._relative(path)  # costs more than the name: only when needed
            return any(fnmatchcase(rel, pat) or fnmatchcase(rel, pat + "/*") for pat in by_path)
        return False


# --------------------------------------------------------------- discovery
_found: dict[Path, Path | None] = {}


def find_config_file(start: Path) -> Path | None:
    """The nearest config file at or above folder ``start``."""
    start = start.resolve()
    chain = []
    d: Path | None = start
    result: Path | None = None
    while d is not None:
        if d in _found:
            result = _found[d]
            break
        chain.append(d)
        hit = _config_in(d)
        if hit is not None:
            result = hit
            break
        d = d.parent if d.parent != d else None
    for c in chain:
        _found[c] = result
    return result


def _config_in(d: Path) -> Path | None:
    for name in CONFIG_NAMES:
        p = d / name
        if p.is_file():
            if name == "pyproject.toml":
                try:
                    with p.open("rb") as fh:
                        raw = fh.read(MAX_CONFIG_BYTES + 1)
                except OSError:
                    continue
                if len(raw) > MAX_CONFIG_BYTES:
                    if b"[tool.artlint" in raw:
                        return p  # ours, and too large: read_config_file says so
                    continue
                if b"artlint" not in raw and b"\\u" not in raw and b"\\U" not in raw:
                    continue  # no table of ours can be in it (unless spelled with escapes)
                tomllib = _tomllib()
                try:
                    data = tomllib.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
                    continue  # a broken pyproject without our table is not ours
                if not isinstance(data.get("tool"), dict) or "artlint" not in data["tool"]:
                    continue
            return p
    return None


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: config file is too large (over {MAX_CONFIG_BYTES:,} bytes)")
    tomllib = _tomllib()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                          "save the config file as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("artlint")
        if table is None:
            return {}
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.artlint] must be a table")
        return table
    return data


# ------------------------------------------------------------- resolution
_settings_cache: dict[tuple, Settings] = {}


def settings_for(config_path: Path | None, cli: Layer, cwd: Path | None = None) -> Settings:
    """Resolve (and cache) the settings of one config file plus the CLI layer."""
    key = (config_path, cli)
    cached = _settings_cache.get(key)
    if cached is not None:
        return cached
    raw = read_config_file(config_path) if config_path else {}
    root = config_path.parent if config_path else (cwd or Path.cwd())
    settings = build_settings(raw, root, config_path, cli)
    _settings_cache[key] = settings
    return settings


def _where(path: Path | None) -> str:
    return str(path) if path else "configuration"


def build_settings(raw: dict[str, Any], root: Path, path: Path | None, cli: Layer) -> Settings:
    where = _where(path)
    _check_bounds(raw, where)
    builtin = load_builtin_rules()
    family_sections = _family_sections(builtin)
    for key in raw:
        if key not in TOP_LEVEL_KEYS and key not in family_sections:
            known = list(TOP_LEVEL_KEYS) + sorted(family_sections)
            hint = _close_matches(key, known, n=1)
            more = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise ConfigError(f"{where}: unknown key '{key}'{more}")

    registry = builtin
    rule_paths = _str_list(raw, "rule-paths", where)
    declarative = None
    if rule_paths:
        from .yamlrules import DeclarativeOptions, load_rule_paths

        registry = builtin.copy()
        for meta in load_rule_paths(rule_paths, root, builtin, where):
            try:
                registry.add(meta)
            except ValueError as exc:
                raise ConfigError(f"{meta.origin}: {exc}") from None
        declarative = DeclarativeOptions(_rule_timeout(raw, where))
    elif "rule-timeout" in raw:
        _rule_timeout(raw, where)

    options = _build_options(raw, registry, family_sections, where, declarative)
    file_layer = Layer(
        select=tuple(_str_list(raw, "select", where)) if "select" in raw else None,
        extend_select=tuple(_str_list(raw, "extend-select", where)) + _implied_selectors(options),
        ignore=tuple(_str_list(raw, "ignore", where)),
        source=where,
    )
    enabled_codes = resolve_selection(registry, [file_layer, cli])
    options = _bind_selection(options, frozenset(enabled_codes))

    severity_overrides = raw.get("severity", {})
    if not isinstance(severity_overrides, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of rule selector = level")
    sev_rules: list[tuple[int, list[str], Severity]] = []
    for sel, level in severity_overrides.items():
        codes, spec = _match_or_fail(registry, sel, f"{where}: severity")
        sev_rules.append((spec, codes, _severity(level, f"{where}: severity.{sel}")))
    sev_rules.sort(key=lambda t: t[0])
    severity = {code: meta.severity for code, meta in registry.rules.items()}
    for _, codes, level in sev_rules:
        for c in codes:
            severity[c] = level

    pfi_raw = raw.get("per-file-ignores", {})
    if not isinstance(pfi_raw, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob = list of rule selectors")
    per_file_ignores = []
    for pattern, sels in pfi_raw.items():
        if isinstance(sels, str):
            sels = [sels]
        if not isinstance(sels, list) or not all(isinstance(s, str) for s in sels):
            raise ConfigError(f"{where}: per-file-ignores.\"{pattern}\" must be a list of rule selectors")
        for s in sels:
            _match_or_fail(registry, s, f"{where}: per-file-ignores")
        per_file_ignores.append((pattern, tuple(sels)))

    fail_level = _severity(raw.get("fail-level", "warning"), f"{where}: fail-level")
    max_size = raw.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(max_size, int) or isinstance(max_size, bool) or max_size <= 0:
        raise ConfigError(f"{where}: 'max-file-size' must be a positive number of bytes")
    exclude = tuple(_str_list(raw, "exclude", where)) if "exclude" in raw else DEFAULT_EXCLUDE
    return Settings(
        path=path,
        root=root,
        registry=registry,
        enabled={c: registry.rules[c] for c in sorted(enabled_codes)},
        severity=severity,
        options=options,
        per_file_ignores=per_file_ignores,
        fail_level=fail_level,
        exclude=exclude,
        extend_exclude=tuple(_str_list(raw, "extend-exclude", where)),
        max_file_size=max_size,
        raw=raw,
    )


def _rule_timeout(raw: dict[str, Any], where: str) -> float:
    value = raw.get("rule-timeout", DEFAULT_RULE_TIMEOUT)
    if (not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= MAX_RULE_TIMEOUT):
        raise ConfigError(f"{where}: 'rule-timeout' must be a number of seconds above 0 and at most "
                          f"{MAX_RULE_TIMEOUT:g}")
    return float(value)


def _check_bounds(raw: dict[str, Any], where: str) -> None:
    """Refuse a config whose values no setting could need: nested too
    deeply, strings or arrays too long, integers outside TOML's range,
    floats that are not finite. The key path says where (``ws.legitimate-doubles[3]``)."""
    stack: list[tuple[Any, str, int]] = [(raw, "", 0)]
    while stack:
        value, at, depth = stack.pop()
        name = f"'{at if len(at) <= 80 else at[:77] + '...'}'" if at else "the config"
        if isinstance(value, dict):
            if depth >= MAX_CONFIG_DEPTH:
                raise ConfigError(f"{where}: {name} is nested more than {MAX_CONFIG_DEPTH} levels deep")
            if len(value) > MAX_CONFIG_ITEMS:
                raise ConfigError(f"{where}: {name} has {len(value):,} keys; at most {MAX_CONFIG_ITEMS:,}")
            for k, v in value.items():
                if isinstance(k, str) and len(k) > MAX_CONFIG_STRING:
                    raise ConfigError(f"{where}: a key of {len(k):,} characters in {name}; "
                                      f"at most {MAX_CONFIG_STRING:,}")
                stack.append((v, f"{at}.{k}" if at else k, depth + 1))
        elif isinstance(value, list):
            if depth >= MAX_CONFIG_DEPTH:
                raise ConfigError(f"{where}: {name} is nested more than {MAX_CONFIG_DEPTH} levels deep")
            if len(value) > MAX_CONFIG_ITEMS:
                raise ConfigError(f"{where}: {name} has {len(value):,} entries; at most {MAX_CONFIG_ITEMS:,}")
            stack.extend((v, f"{at}[{i}]", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, str):
            if len(value) > MAX_CONFIG_STRING:
                raise ConfigError(f"{where}: {name} is a string of {len(value):,} characters; "
                                  f"at most {MAX_CONFIG_STRING:,}")
        elif isinstance(value, bool):
            pass
        elif isinstance(value, int):
            if not -MAX_INT - 1 <= value <= MAX_INT:
                raise ConfigError(f"{where}: {name} is out of range (a 64-bit integer is at most {MAX_INT})")
        elif isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{where}: {name} must be a finite number, not {value}")


def _close_matches(word: str, candidates: list[str], n: int = 1) -> list[str]:
    import difflib  # only on the error path

    return difflib.get_close_matches(word, candidates, n=n)


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(f"{where}: '{value}' is not a level (error, warning or info)") from None


def _str_list(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return value


def _match_or_fail(registry: Registry, selector: str, where: str) -> tuple[list[str], int]:
    codes, spec = registry.match(selector)
    if not codes:
        names = list(registry.rules) + list(registry.by_name)
        hint = _close_matches(selector, names, n=1)
        more = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ConfigError(f"{where}: unknown rule selector '{selector}'{more}")
    return codes, spec


def resolve_selection(registry: Registry, layers: list[Layer]) -> set[str]:
    """Apply select / extend-select / ignore layers; the most specific
    selector decides for each rule, and an ignore wins a tie."""
    enabled = {c for c, m in registry.rules.items() if m.default_enabled}
    for layer in layers:
        on: dict[str, int] = {}
        off: dict[str, int] = {}
        for sel in (layer.select or ()) + layer.extend_select:
            codes, spec = _match_or_fail(registry, sel, layer.source)
            for c in codes:
                on[c] = max(on.get(c, -1), spec)
        for sel in layer.ignore:
            codes, spec = _match_or_fail(registry, sel, layer.source)
            for c in codes:
                off[c] = max(off.get(c, -1), spec)
        if layer.select is not None:
            enabled = set()
            for c in registry.rules:
                if c in on and on[c] > off.get(c, -1):
                    enabled.add(c)
                elif c in ENGINE_ALWAYS and c not in off:
                    enabled.add(c)
        else:
            for c in registry.rules:
                if c in on and on[c] > off.get(c, -1):
                    enabled.add(c)
                elif c in off:
                    enabled.discard(c)
    return enabled


# ----------------------------------------------------------------- options
def _family_sections(registry: Registry) -> dict[str, dict[str, tuple[type, str]]]:
    """Per family (lower case, e.g. ``ws``): option key -> (options class, field)."""
    sections: dict[str, dict[str, tuple[type, str]]] = {}
    for meta in registry:
        if meta.options is None:
            continue
        section = sections.setdefault(meta.family.lower(), {})
        derived = getattr(meta.options, "_not_config", ())  # worked out, not config keys
        for name in meta.options._fields:
            if name not in derived:
                section[name.replace("_", "-")] = (meta.options, name)
    return sections


def _build_options(
    raw: dict[str, Any], registry: Registry, sections: dict[str, dict], where: str, declarative: Any = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    instances: dict[type, Any] = {}
    for meta in registry:
        if meta.options is None:
            # A rule from rule-paths gets the options of all of them (its time limit).
            out[meta.code] = declarative if meta.origin != "builtin" else None
            continue
        cls = meta.options
        if cls not in instances:
            family = meta.family.lower()
            values = raw.get(family, {})
            if not isinstance(values, dict):
                raise ConfigError(f"{where}: '{family}' must be a table of options")
            known = sections.get(family, {})
            kwargs = {}
            for key, value in values.items():
                if key not in known:
                    hint = _close_matches(key, list(known), n=1)
                    more = f" (did you mean '{hint[0]}'?)" if hint else ""
                    raise ConfigError(f"{where}: unknown key '{key}' in [{family}]{more}")
                owner, fname = known[key]
                if owner is cls:
                    kwargs[fname] = _check_type(cls, fname, value, f"{where}: {family}.{key}")
            try:
                instances[cls] = inst = cls(**kwargs)
                validate = getattr(inst, "validate", None)
                if validate is not None:
                    validate()
            except ValueError as exc:  # an options class that checks its values
                raise ConfigError(f"{where}: [{family}] {exc}") from None
        out[meta.code] = instances[cls]
    return out


def _implied_selectors(options: dict[str, Any]) -> tuple[str, ...]:
    """Selectors that options switch on (``grammar = true`` in ``[gr]``
    selects GR), added to the config file's extend-select: the command
    line's --select and --ignore still decide over them."""
    out: list[str] = []
    for inst in {id(o): o for o in options.values() if o is not None}.values():
        implied = getattr(inst, "implied_selectors", None)
        if implied is not None:
            out.extend(implied())
    return tuple(out)


def _bind_selection(options: dict[str, Any], enabled: frozenset[str]) -> dict[str, Any]:
    """Options that depend on which rules run (GR leaves quotation marks to
    QT): an options object's ``bind_selection(enabled)`` returns the one to use."""
    bound: dict[int, Any] = {}
    out = {}
    for code, inst in options.items():
        bind = getattr(inst, "bind_selection", None)
        if bind is None:
            out[code] = inst
            continue
        if id(inst) not in bound:
            bound[id(inst)] = bind(enabled)
        out[code] = bound[id(inst)]
    return out


def _check_type(cls: type, fname: str, value: Any, where: str) -> Any:
    hint = typing.get_type_hints(cls)[fname]
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    ok: bool
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and value < 0:  # every integer option is a count or a size
            raise ConfigError(f"{where}: must be 0 or more, not {value}")
    elif hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif hint is str:
        ok = isinstance(value, str)
    elif origin is typing.Literal:
        ok = isinstance(value, (str, int, bool)) and value in args
        if not ok:
            raise ConfigError(f"{where}: must be one of {', '.join(map(repr, args))}")
    elif origin in (list, tuple):
        ok = isinstance(value, list)
        bad = next((i for i, v in enumerate(value) if not isinstance(v, str)), None) if ok else None
        if bad is not None:
            raise ConfigError(f"{where}[{bad}]: expected a string, got {_value_type(value[bad])}")
        value = tuple(value) if ok else value
    elif origin is dict:
        ok = isinstance(value, dict)
        bad = next((k for k, v in value.items() if not isinstance(v, str)), None) if ok else None
        if bad is not None:
            raise ConfigError(f"{where}.{bad}: expected a string, got {_value_type(value[bad])}")
    else:  # pragma: no cover - an options class with an unsupported type
        raise TypeError(f"unsupported option type {hint!r}")
    if not ok:
        raise ConfigError(f"{where}: expected {_type_name(hint)}, got {_value_type(value)}")
    return value


def _value_type(value: Any) -> str:
    """A TOML value's kind, for a message."""
    if isinstance(value, bool):
        return "a boolean"
    for kind, name in ((int, "an integer"), (float, "a number"), (str, "a string"), (list, "an array"),
                       (dict, "a table")):
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"  # a date or a time


def _type_name(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin in (list, tuple):
        return "a list of strings"
    if origin is dict:
        return "a table of strings"
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(hint, str(hint))


def clear_caches() -> None:
    _found.clear()
    _settings_cache.clear()


__all__ = [
    "BUILTIN",
    "ConfigError",
    "Layer",
    "Settings",
    "clear_caches",
    "find_config_file",
    "settings_for",
]
