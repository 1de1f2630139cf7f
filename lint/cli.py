"""The ``artlint`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import IO
from collections.abc import Sequence

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")
PROGRESS_MIN_FILES = 40  # fewer files finish before a progress bar is worth drawing


class UsageError(Exception):
    """A problem with what the user asked for: one line, exit status 2."""


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def _selectors(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, which asks the terminal's width only when
    it formats something. argparse builds one for every argument added (to
    check it), and its own asks at once, importing shutil: a start-up cost
    for every run, though only help and usage errors print anything."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        self._asked_width = width
        self._asked_position = max_help_position
        super().__init__(prog, indent_increment, max_help_position, width if width is not None else 1000)

    def format_help(self) -> str:
        if self._asked_width is None:
            import shutil

            self._width = shutil.get_terminal_size().columns - 2
            self._max_help_position = min(self._asked_position, max(self._width - 20, self._indent_increment * 2))
            self._asked_width = self._width
        return super().format_help()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line. With ``command``, only that command's options are
    built (what a run needs: artlint starts on every commit)."""
    parser = argparse.ArgumentParser(
        prog="artlint",
        description="A linter for articles: scraping leftovers, pasted headlines, broken quotes, "
        "wrong attributions and whitespace, found and fixed.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"artlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", prog="artlint")  # not worked out by a formatter
    for name, add in _COMMANDS.items():
        if command is None or command == name:
            add(sub)
    return parser


def _add_check(sub) -> None:
    check = sub.add_parser("check", help="check articles (the default command)", formatter_class=_Formatter,
                           description="Check articles for defects and optionally fix them.")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="files or folders to check (default: .); '-' reads standard input")
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, apply unsafe fixes too")
    check.add_argument("--diff", action="store_true", help="print the fixes as a unified diff; write nothing")
    check.add_argument("--select", type=_selectors, action="append", metavar="RULES",
                       help="comma-separated codes, prefixes or names to check (replaces the configured set)")
    check.add_argument("--extend-select", type=_selectors, action="append", metavar="RULES",
                       help="rules to check in addition to the configured ones")
    check.add_argument("--ignore", type=_selectors, action="append", metavar="RULES", help="rules not to check")
    check.add_argument("--output-format", choices=OUTPUT_FORMATS, default=None,
                       help="how findings are printed (default: full; json-lines is written as files finish)")
    check.add_argument("--output-file", metavar="PATH", help="write the report to PATH instead of standard output")
    check.add_argument("--baseline", metavar="FILE",
                       help="leave out the findings recorded in FILE; when FILE does not exist, record "
                            "the current findings there and exit 0")
    check.add_argument("--update-baseline", action="store_true",
                       help="with --baseline, record the current findings in FILE even if it exists")
    check.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    check.add_argument("--exit-non-zero-on-fix", action="store_true",
                       help="exit 1 when --fix changed a file, even if nothing remains")
    check.add_argument("--strict", action="store_true",
                       help="checks that could not run (XX007: no grammar server) are errors, not info")
    check.add_argument("--fail-level", choices=("error", "warning", "info"), default=None,
                       help="lowest severity that makes the exit status 1 (default: warning, from the config)")
    check.add_argument("--stdin-filename", metavar="PATH",
                       help="the name of the article read from standard input (for its kind and config)")
    check.add_argument("--config", metavar="PATH", help="use this config file instead of discovering one")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply exclude settings to files named on the command line too (for pre-commit)")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    check.add_argument("--cache-dir", metavar="DIR",
                       help="where the cache lives (default: .artlint_cache next to the nearest config)")
    check.add_argument("-j", "--jobs", type=_jobs, default=None, metavar="N",
                       help="worker processes (default: the number of CPUs; 1 checks in this process)")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")


def _add_rules(sub) -> None:
    rules = sub.add_parser("rules", help="list the rules", formatter_class=_Formatter)
    rules.add_argument("--config", metavar="PATH", help="include the YAML rules of this config")
    rules.add_argument("--output-format", choices=("text", "json", "markdown"), default="text",
                       help="markdown: the rule reference with every rule's documentation (docs/rules.md)")


def _add_stats(sub) -> None:
    stats = sub.add_parser("stats", help="readability figures per article and for the corpus",
                           formatter_class=_Formatter,
                           description="Print words, sentences, paragraphs and readability scores "
                                       "(textstat) per article, and a summary of them all.")
    stats.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    stats.add_argument("--output-format", choices=("text", "json"), default="text")


def _add_server(sub) -> None:
    server = sub.add_parser("server", help="run the language server on stdio (needs the lsp extra)",
                            formatter_class=_Formatter,
                            description="Run artlint's language server for editors, on standard input "
                                        "and output. Install it with: pip install 'artlint[lsp]'")
    server.add_argument("--stdio", action="store_true", help="talk over standard input and output (the default)")
    server.add_argument("--tcp", nargs=2, metavar=("HOST", "PORT"), help="listen on a TCP port instead of stdio")
    server.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="warning")
    server.add_argument("--log-file", metavar="PATH", help="log to this file instead of standard error")


def _add_rule(sub) -> None:
    one = sub.add_parser("rule", help="explain one rule", formatter_class=_Formatter)
    one.add_argument("rule", metavar="CODE|NAME")
    one.add_argument("--config", metavar="PATH", help="include the YAML rules of this config")


_COMMANDS = {"check": _add_check, "rules": _add_rules, "stats": _add_stats, "server": _add_server,
             "rule": _add_rule}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in (*_COMMANDS, "-h", "--help", "--version")):
        argv.insert(0, "check")
    parser = build_parser(argv[0] if argv[0] in _COMMANDS else None)
    args = parser.parse_args(argv)
    from .config import ConfigError

    try:
        if args.command == "rules":
            return cmd_rules(args, sys.stdout)
        if args.command == "rule":
            return cmd_rule(args, sys.stdout)
        if args.command == "server":
            return cmd_server(args)
        if args.command == "stats":
            from .stats import main as stats_main

            return stats_main(args.paths or ["."], args.output_format)
        return cmd_check(args)
    except (UsageError, ConfigError) as exc:
        print(f"artlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``artlint check | head``): not an error.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # never a traceback for users
        if os.environ.get("ARTLINT_DEBUG"):
            raise
        print(f"artlint: internal error: {type(exc).__name__}: {exc} "
              "(set ARTLINT_DEBUG=1 for a traceback)", file=sys.stderr)
        return EXIT_ERROR


def run() -> None:
    """The ``artlint`` command: ``main()``, then a quick exit. Freeing every
    object of the run at interpreter shutdown cost a pre-commit run a
    seventh of its time and a warm run a tenth; so, as mypy does, once the
    exit handlers have run (the rule caches are written, a LanguageTool
    server stopped) and the standard streams are flushed, the process ends
    without it. A run that leaves other threads behind exits the usual way."""
    status = main()
    import atexit
    import threading

    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, a closed stream
            pass
    os._exit(status)


# ---------------------------------------------------------------- helpers
def _cli_layer(args: argparse.Namespace):
    from .config import Layer

    def flat(v: list[list[str]] | None) -> tuple[str, ...]:
        return tuple(s for group in v or () for s in group)

    select = getattr(args, "select", None)
    return Layer(
        select=flat(select) if select is not None else None,
        extend_select=flat(getattr(args, "extend_select", None)),
        ignore=flat(getattr(args, "ignore", None)),
        source="command line",
    )


def _explicit_config(args: argparse.Namespace) -> Path | None:
    if not getattr(args, "config", None):
        return None
    path = Path(args.config)
    if not path.is_file():
        raise UsageError(f"config file not found: {args.config}")
    return path


def _settings_resolver(args: argparse.Namespace):
    return settings_resolver(_explicit_config(args), _cli_layer(args))


def settings_resolver(explicit: Path | None, layer):
    """``resolve(folder)``: the settings for the files of a folder (the
    nearest config, or ``explicit``, with ``layer`` on top)."""
    from .config import find_config_file, settings_for

    cwd = Path.cwd()

    def resolve(folder: Path):
        config = explicit if explicit is not None else find_config_file(folder)
        return settings_for(config, layer, cwd)

    return resolve


def _display(real: Path, cwd: Path, given: Path) -> str:
    """How reports name a file: relative to the working folder when its
    resolved path ``real`` is under it, else as ``given``."""
    try:
        return real.relative_to(cwd).as_posix()
    except ValueError:
        return str(given)


# ------------------------------------------------------------------ check
def cmd_check(args: argparse.Namespace) -> int:
    from .runner import Mode

    mode = Mode(fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff)
    if args.update_baseline and not args.baseline:
        raise UsageError("--update-baseline needs --baseline FILE")
    resolve = _settings_resolver(args)
    paths = args.paths or (["-"] if args.stdin_filename else ["."])
    if "-" in paths:
        if len(paths) > 1:
            raise UsageError("'-' (standard input) cannot be combined with other paths")
        return _check_stdin(args, mode, resolve)

    from .runner import check_many, report_cross_file, report_run_notices

    targets, errors = _targets(args, paths, resolve)
    baseline, writing_baseline = _baseline(args)
    fmt = args.output_format or "full"
    cache = _cache(args, targets, mode)
    jobs = args.jobs or os.cpu_count() or 1
    with _Output(args) as out:
        # json-lines is streamed: each file's findings as soon as it is checked.
        streaming = fmt == "json-lines" and not args.statistics and not args.diff and not writing_baseline
        progress = _Progress(len(targets), enabled=not args.quiet and len(targets) >= PROGRESS_MIN_FILES)
        results = []
        for (path, _, _), (result, key, hit) in zip(
                targets, check_many(targets, mode, cache, jobs, _cli_layer(args), Path.cwd())):
            if key is not None and not hit:
                cache.put(result.path, key, result.diagnostics, result.cross_keys)
            if baseline is not None:
                baseline.filter(result)
            if streaming:
                _write(args, [result], out)
                result.slim(path)
            results.append(result)
            progress.step(len(result.diagnostics))
        progress.close()
        if cache is not None:
            cache.save()
        before = {id(d) for r in results for d in r.diagnostics}
        report_cross_file(results)
        if baseline is not None:
            for r in results:
                baseline.filter(r, only={id(d) for d in r.diagnostics} - before)
        if not streaming:
            results.sort(key=lambda r: r.path)
        report_run_notices(results, strict=args.strict)  # XX007: once per run, after the baseline filter
        if writing_baseline:
            from .baseline import BaselineError, write_baseline

            try:
                n = write_baseline(Path(args.baseline), results)
            except BaselineError as exc:
                raise UsageError(str(exc)) from None
            print(f"artlint: recorded {n} finding{'s' if n != 1 else ''} in the baseline {args.baseline}",
                  file=sys.stderr)
            return EXIT_ERROR if errors else EXIT_OK
        if streaming:
            late = [_only(r, before) for r in results]
            _write(args, [r for r in late if r.diagnostics], out)
        status = _report(args, mode, results, out, errors=errors, written=streaming,
                         baselined=baseline.dropped if baseline is not None else 0)
    return EXIT_ERROR if errors else status


def _cache(args: argparse.Namespace, targets: list, mode):
    """The result cache for this run, or None (--no-cache, fixing, nothing to check)."""
    if args.no_cache or mode.fixing or not targets:
        return None
    from .cache import Cache, cache_folder

    return Cache(cache_folder(args.cache_dir, targets[0][2], Path.cwd()))


def _targets(args: argparse.Namespace, paths: list[str], resolve) -> tuple[list, int]:
    return find_targets(paths, resolve, args.force_exclude)


def find_targets(paths: Sequence[str], resolve, force_exclude: bool = False) -> tuple[list, int]:
    """(file path, shown path, settings) for every article the paths name, in
    order, each once; and the number of paths that do not exist (each
    reported on stderr). ``resolve(folder)`` gives a folder's settings."""
    from .files import walk_article_paths

    cwd = Path.cwd().resolve()
    errors = 0
    targets = []
    seen: set[str] = set()  # resolved paths, as strings: a run may name 100,000 files
    warned: set[str] = set()

    def warn(message: str) -> None:  # a symlink loop met by two paths is reported once
        if message not in warned:
            warned.add(message)
            print(f"artlint: warning: {message}", file=sys.stderr)

    for arg in paths:
        p = Path(arg)
        if not p.exists():
            what = "broken symlink or symlink loop" if os.path.islink(arg) else "no such file or directory"
            print(f"artlint: error: {arg}: {what}", file=sys.stderr)
            errors += 1
            continue
        if p.is_dir():
            settings = resolve(p)
            found = False
            # Per folder, once: its settings (strings throughout: a run may
            # name 100,000 files).
            folders: dict[str, object] = {}
            cwd_prefix = os.path.join(str(cwd), "")
            for name, key in walk_article_paths(p, settings.is_excluded, warn):
                found = True
                parent = os.path.dirname(name)
                folder = folders.get(parent)
                if folder is None:
                    folder = folders[parent] = resolve(Path(parent or "."))
                if key in seen:  # the same real file under another name
                    continue
                seen.add(key)
                shown = key[len(cwd_prefix):].replace(os.sep, "/") if key.startswith(cwd_prefix) else name
                targets.append((name, shown, folder))
            if not found:
                print(f"artlint: warning: {arg}: no articles found (*.md, *.markdown, *.txt)", file=sys.stderr)
            continue
        key = p.resolve()
        if str(key) in seen:
            continue
        seen.add(str(key))
        settings = resolve(p.parent)
        if force_exclude and settings.excludes(p):
            continue
        targets.append((str(p), _display(key, cwd, p), settings))
    return targets, errors


def _baseline(args: argparse.Namespace):
    """(the baseline to filter with or None, whether to write one instead)."""
    if not args.baseline:
        return None, False
    path = Path(args.baseline)
    if args.update_baseline or not path.exists():
        if args.fix or args.diff:
            raise UsageError("a baseline is recorded from a check without --fix or --diff")
        return None, True
    from .baseline import Baseline, BaselineError

    try:
        return Baseline(path), False
    except BaselineError as exc:
        raise UsageError(str(exc)) from None


def _only(result, keep_out: set[int]):
    """A copy of ``result`` with only the findings whose id is not in ``keep_out``."""
    import copy

    late = copy.copy(result)
    late.diagnostics = [d for d in result.diagnostics if id(d) not in keep_out]
    return late


class _Output:
    """Standard output, or the --output-file (written whole, then moved into place)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.path = Path(args.output_file) if getattr(args, "output_file", None) else None
        self.stream: IO[str] = sys.stdout

    def __enter__(self) -> IO[str]:
        if self.path is not None:
            try:
                self.stream = open(self.path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
            except OSError as exc:
                raise UsageError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        return self.stream

    def __exit__(self, *exc) -> None:
        if self.path is not None:
            self.stream.close()


class _Progress:
    """files done / total and findings so far on a terminal's stderr, redrawn
    in place and erased at the end; nothing when stderr is not a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.findings = 0
        self.on = enabled and sys.stderr.isatty() and not os.environ.get("CI")
        self.width = 0

    def step(self, findings: int) -> None:
        self.done += 1
        self.findings += findings
        if not self.on or (self.done % 8 and self.done != self.total):
            return
        filled = 24 * self.done // max(self.total, 1)
        text = (f"[{'#' * filled}{'.' * (24 - filled)}] {self.done}/{self.total} files, "
                f"{self.findings} finding{'s' if self.findings != 1 else ''}")
        self.width = max(self.width, len(text))
        sys.stderr.write("\r" + text.ljust(self.width))
        sys.stderr.flush()

    def close(self) -> None:
        if self.on and self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()


def _write(args: argparse.Namespace, results: list, out: IO[str]) -> None:
    from .output import WRITERS

    WRITERS[args.output_format or "full"](results, out, False)


def _check_stdin(args: argparse.Namespace, mode, resolve) -> int:
    from .runner import check_bytes, report_run_notices

    name = args.stdin_filename
    folder = Path(name).parent if name else Path.cwd()
    settings = resolve(folder if folder.exists() else Path.cwd())
    baseline, writing = _baseline(args)
    if writing:
        raise UsageError("a baseline is recorded from files, not from standard input")
    data = sys.stdin.buffer.read()
    shown = name or "-"
    result = check_bytes(data, name or None, shown, settings, mode)
    if baseline is not None:
        baseline.filter(result)
    report_run_notices([result], strict=args.strict)
    dropped = baseline.dropped if baseline is not None else 0
    if args.fix and not args.diff:
        # The fixed text goes to stdout (pre-commit and editors read it);
        # what remains is reported on stderr (or the --output-file).
        out = result.fixed_source.encode() if result.fixed_source is not None else data
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
        if args.output_file:
            with _Output(args) as report:
                return _report(args, mode, [result], report, baselined=dropped)
        return _report(args, mode, [result], sys.stderr, baselined=dropped)
    with _Output(args) as report:
        return _report(args, mode, [result], report, baselined=dropped)


def _report(args: argparse.Namespace, mode, results: list, out: IO[str], errors: int = 0,
            written: bool = False, baselined: int = 0) -> int:
    """Print the findings (unless ``written`` already) and the summary; the
    exit status."""
    from .output import WRITERS, use_color, write_statistics
    from .types import Applicability, Severity

    color = use_color(out)
    fmt = args.output_format or "full"
    if args.diff:
        changed = _write_diffs(results, sys.stdout)
        fixed = sum(r.fixed_count for r in results)
        if not args.quiet:
            noun = "fix" if fixed == 1 else "fixes"
            files = "file" if changed == 1 else "files"
            print(f"Would apply {fixed} {noun} to {changed} {files}." if changed else "No fixes to apply.",
                  file=sys.stderr)
        return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_OK

    if args.statistics:
        write_statistics(results, out, color)
    elif not written:
        WRITERS[fmt](results, out, color)

    # Counts of the findings left, the dropped ones of a streamed run included.
    remaining = failing = safe = unsafe = 0
    fixed = sum(r.fixed_count for r in results)
    for r in results:
        if not r.diagnostics and not r.tally:
            continue  # nothing left to count (most files of a run)
        level = Severity(args.fail_level) if args.fail_level else r.settings.fail_level
        tally = r.counts()
        remaining += sum(tally[s] for s in Severity)
        failing += sum(tally[s] for s in Severity if s.rank >= level.rank)
        safe += tally[Applicability.SAFE]
        unsafe += tally[Applicability.UNSAFE]
    if fmt in ("full", "concise") and not args.quiet and not args.statistics:
        total = remaining + fixed
        if total == 0:
            if not errors:  # a path that could not be checked is not a pass
                out.write("All checks passed!\n")
        else:
            noun = "finding" if total == 1 else "findings"
            if fixed:
                out.write(f"Found {total} {noun} ({fixed} fixed, {remaining} remaining).\n")
            else:
                out.write(f"Found {total} {noun}.\n")
            if safe and not mode.fix:
                out.write(f"[*] {safe} fixable with the `--fix` option.\n")
            if unsafe and not mode.unsafe_fixes:
                out.write(f"({unsafe} more fixable with `--fix --unsafe-fixes`.)\n")
        if baselined:
            out.write(f"({baselined} finding{'s' if baselined != 1 else ''} in the baseline not shown.)\n")
    out.flush()
    if args.exit_zero:
        return EXIT_OK
    if args.exit_non_zero_on_fix and fixed:
        return EXIT_FINDINGS
    return EXIT_FINDINGS if failing else EXIT_OK


def _write_diffs(results: list, out: IO[str]) -> int:
    import difflib

    changed = 0
    for r in results:
        if r.fixed_source is None or r.original is None:
            continue
        changed += 1
        before = r.original.raw.splitlines(keepends=True)
        after = r.fixed_source.raw.splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{r.path}", f"b/{r.path}"):
            out.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    out.flush()
    return changed


# ----------------------------------------------------------------- server
def cmd_server(args: argparse.Namespace) -> int:
    try:
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError("the language server needs pygls: pip install 'artlint[lsp]'") from None
    from .server import main as serve

    argv = ["--tcp", *args.tcp] if args.tcp else []
    argv += ["--log-level", args.log_level] + (["--log-file", args.log_file] if args.log_file else [])
    return serve(argv)


# ------------------------------------------------------------------ rules
def _registry_for(args: argparse.Namespace):
    return _settings_resolver(args)(Path.cwd()).registry


def cmd_rules(args: argparse.Namespace, out: IO[str]) -> int:
    registry = _registry_for(args)
    if args.output_format == "json":
        import json

        json.dump([
            {"code": m.code, "name": m.name, "summary": m.summary, "severity": m.severity.value,
             "fixable": m.fixable, "default": m.default_enabled, "origin": m.origin}
            for m in registry
        ], out, indent=2)
        out.write("\n")
        return EXIT_OK
    if args.output_format == "markdown":
        out.write(rules_markdown(registry))
        return EXIT_OK
    out.write(f"{'code':<8} {'name':<28} {'fix':<5} {'on':<4} {'severity':<8} summary\n")
    for m in registry:
        fix = {"always": "yes", "sometimes": "some", "never": "-"}[m.fixable]
        on = "yes" if m.default_enabled else "no"
        out.write(f"{m.code:<8} {m.name:<28} {fix:<5} {on:<4} {m.severity.value:<8} {m.summary}\n")
    return EXIT_OK


def rules_markdown(registry) -> str:
    """The rule reference: a table of every rule, then each rule's docs."""
    fixes = {"always": "yes", "sometimes": "sometimes", "never": "no"}
    lines = [
        "# artlint rules",
        "",
        "Generated by `artlint rules --output-format markdown > docs/rules.md`; a test fails when",
        "this file is not what that command prints. `artlint rule CODE` prints one rule's section.",
        "",
        "| code | name | summary | severity | fix | on by default |",
        "|---|---|---|---|---|---|",
    ]
    metas = [m for m in registry if m.origin == "builtin"]
    for m in metas:
        lines.append(f"| [{m.code}](#{m.code.lower()}) | {m.name} | {m.summary} | {m.severity.value} "
                     f"| {fixes[m.fixable]} | {'yes' if m.default_enabled else 'no (preview)'} |")
    for m in metas:
        doc = m.doc.strip().replace("\n## ", "\n### ")
        if doc.startswith("## "):
            doc = "#" + doc
        lines += [
            "",
            f"## {m.code}",
            "",
            f"**{m.name}**: {m.summary}. Severity: {m.severity.value}. Fix: {fixes[m.fixable]}. "
            f"On by default: {'yes' if m.default_enabled else 'no (preview)'}.",
            "",
            doc,
        ]
    return "\n".join(lines) + "\n"


def cmd_rule(args: argparse.Namespace, out: IO[str]) -> int:
    registry = _registry_for(args)
    meta = registry.get(args.rule)
    if meta is None:
        raise UsageError(f"unknown rule '{args.rule}' (see `artlint rules`)")
    fix = {"always": "always", "sometimes": "sometimes", "never": "never"}[meta.fixable]
    out.write(f"# {meta.name} ({meta.code})\n\n")
    out.write(f"{meta.summary}.\n\n")
    out.write(f"Severity: {meta.severity.value}. Fixable: {fix}. On by default: "
              f"{'yes' if meta.default_enabled else 'no'}.\n\n")
    out.write(meta.doc.rstrip() + "\n")
    return EXIT_OK
