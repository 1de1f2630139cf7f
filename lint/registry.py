"""Rule metadata and the registry of built-in rules.

Python rules are plain functions registered explicitly::

    @rule(code="WS001", name="multiple-blank-lines", summary="...",
          severity="warning", fixable="always", options=WhitespaceOptions)
    def multiple_blank_lines(doc, opts):
        \"\"\"## What it does ... ## Fix safety ...\"\"\"
        yield Violation(span, message, fix)

The docstring is the rule's documentation (Markdown with the sections
What it does / Why is this bad? / Example / Use instead / Fix safety).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from collections.abc import Callable, Iterable, Iterator

from .recache import compile as re_compile
from .types import Record, Severity, Violation

CODE_RE = re_compile(r"^[A-Z]{2,6}[0-9]{3}$")
NAME_RE = re_compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety")

FAMILIES = {
    "HL": "headline",
    "BP": "boilerplate",
    "QT": "quotation marks",
    "AT": "attribution and names",
    "WS": "whitespace, typography and encoding",
    "RD": "readability",
    "GR": "grammar",
    "XX": "the engine itself",
}

RuleFunc = Callable[[Any, Any], Iterable[Violation]]


class RuleMeta(Record):
    """A rule's metadata. ``doc`` is given as written (a docstring) and
    cleaned of its indentation when first read: only ``artlint rule``,
    ``rules``, SARIF and the language server read it, and the cleaning
    (``inspect``) costs a start-up more than it is worth."""

    __slots__ = _fields = ("code", "name", "summary", "doc_source", "severity", "fixable", "default_enabled",
                           "func", "options", "origin", "cross_file", "cross_file_message")
    code: str
    name: str
    summary: str
    doc_source: str
    severity: Severity
    fixable: str  # "never", "sometimes" or "always"
    default_enabled: bool
    func: RuleFunc | None
    options: type | None
    origin: str  # "builtin" or the path of a YAML rule file
    # A rule checked across the files of a run: per document, a key and the
    # span to report at; files sharing a key are reported on each, with
    # ``cross_file_message`` formatted with ``others`` (the other paths).
    cross_file: Callable[[Any], tuple[str, Any] | None] | None
    cross_file_message: str

    def __init__(self, code: str, name: str, summary: str, doc: str, severity: Severity, fixable: str,
                 default_enabled: bool, func: RuleFunc | None = None, options: type | None = None,
                 origin: str = "builtin", cross_file: Callable[[Any], tuple[str, Any] | None] | None = None,
                 cross_file_message: str = "") -> None:
        for key, value in (("code", code), ("name", name), ("summary", summary), ("doc_source", doc),
                           ("severity", severity), ("fixable", fixable), ("default_enabled", default_enabled),
                           ("func", func), ("options", options), ("origin", origin), ("cross_file", cross_file),
                           ("cross_file_message", cross_file_message)):
            object.__setattr__(self, key, value)

    @property
    def doc(self) -> str:
        """The documentation, Markdown (``inspect.cleandoc`` of what was given)."""
        return _cleandoc(self.doc_source)

    def copy(self, **changes: Any) -> RuleMeta:
        values = {name: getattr(self, name) for name in self._fields}
        values["doc"] = values.pop("doc_source")
        values.update(changes)
        return RuleMeta(**values)

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def section(self, title: str) -> str | None:
        """The text of one ``## title`` section of the docs."""
        m = re.search(
            r"^##\s+" + re.escape(title) + r"\s*\n(.*?)(?=^##\s|\Z)", self.doc, re.M | re.S
        )
        return m.group(1).strip() if m else None


@lru_cache(maxsize=None)
def _cleandoc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


class Registry:
    __slots__ = ("rules", "by_name")

    def __init__(self, rules: dict[str, RuleMeta] | None = None, by_name: dict[str, str] | None = None) -> None:
        self.rules: dict[str, RuleMeta] = {} if rules is None else rules
        self.by_name: dict[str, str] = {} if by_name is None else by_name

    def __repr__(self) -> str:
        return f"Registry({sorted(self.rules)})"

    def add(self, meta: RuleMeta) -> None:
        if not CODE_RE.match(meta.code):
            raise ValueError(f"rule code {meta.code!r} is not letters followed by three digits")
        if not NAME_RE.match(meta.name):
            raise ValueError(f"rule name {meta.name!r} is not kebab-case")
        if meta.code in self.rules:
            raise ValueError(f"rule code {meta.code} is registered twice")
        if meta.name in self.by_name:
            raise ValueError(f"rule name {meta.name} is registered twice")
        self.rules[meta.code] = meta
        self.by_name[meta.name] = meta.code

    def copy(self) -> Registry:
        return Registry(dict(self.rules), dict(self.by_name))

    def __iter__(self) -> Iterator[RuleMeta]:
        return iter(sorted(self.rules.values(), key=lambda m: m.code))

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, code_or_name: str) -> RuleMeta | None:
        key = code_or_name.strip()
        if key.upper() in self.rules:
            return self.rules[key.upper()]
        code = self.by_name.get(key.lower())
        return self.rules[code] if code else None

    def match(self, selector: str) -> tuple[list[str], int]:
        """Codes a selector picks, and its specificity (longer wins).

        A selector is ``ALL``, a code prefix (``WS``, ``WS0``, ``WS001``) or a
        rule name.  Unknown selectors give an empty list."""
        sel = selector.strip()
        if sel.upper() == "ALL":
            return sorted(self.rules), 0
        if sel.lower() in self.by_name:
            return [self.by_name[sel.lower()]], 99
        up = sel.upper()
        if not re.match(r"^[A-Z]+[0-9]*$", up):
            return [], 0
        # A family prefix must name the whole family: "W" does not pick WS.
        codes = []
        for code, meta in self.rules.items():
            if code.startswith(up) and len(up) >= len(meta.family):
                codes.append(code)
        return sorted(codes), len(up)


BUILTIN = Registry()


def rule(
    *,
    code: str,
    name: str,
    summary: str,
    severity: str = "warning",
    fixable: str = "never",
    default: bool = True,
    options: type | None = None,
    cross_file: Callable[[Any], tuple[str, Any] | None] | None = None,
    cross_file_message: str = "",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a Python rule function with its metadata."""
    if fixable not in ("never", "sometimes", "always"):
        raise ValueError(f"{code}: fixable must be never, sometimes or always")

    def deco(func: RuleFunc) -> RuleFunc:
        doc = func.__doc__ or ""
        BUILTIN.add(
            RuleMeta(
                code=code,
                name=name,
                summary=summary,
                doc=doc,
                severity=Severity(severity),
                fixable=fixable,
                default_enabled=default,
                func=None if cross_file else func,
                options=options,
                cross_file=cross_file,
                cross_file_message=cross_file_message,
            )
        )
        return func

    return deco


# The engine's own diagnostics (XX) are reported by the engine, not by a rule
# function, but they are rules like any other: selectable, documented.
def _engine_rule(code: str, name: str, summary: str, severity: str, fixable: str, doc: str) -> None:
    BUILTIN.add(
        RuleMeta(
            code=code,
            name=name,
            summary=summary,
            doc=doc,
            severity=Severity(severity),
            fixable=fixable,
            default_enabled=True,
            func=None,
        )
    )


_engine_rule(
    "XX001",
    "unreadable-file",
    "The file could not be read as text",
    "error",
    "never",
    """
    ## What it does
    Reports a file that artlint could not read as an article: it is binary
    (contains NUL bytes), is not valid UTF-8 (or UTF-16 with a byte-order
    mark), or could not be opened.

    ## Why is this bad?
    Nothing in the file was checked, and a file with a `.md` or `.txt` name
    that no editor can open is usually a mistake in the repository.

    ## Example
    A file saved as Windows-1252 with a curly apostrophe as byte `0x92`.

    ## Use instead
    Save the article as UTF-8.

    ## Fix safety
    No fix: artlint never guesses an encoding when writing.
    """,
)
_engine_rule(
    "XX002",
    "unused-suppression",
    "A suppression comment that suppressed nothing",
    "warning",
    "always",
    """
    ## What it does
    Reports an `artlint-disable` comment (or one rule code in it) that did not
    suppress any finding.

    ## Why is this bad?
    Stale suppressions hide future findings and mislead readers about what is
    wrong with the text.

    ## Example
    ```markdown
    <!-- artlint-disable-next-line WS003 -->
    A sentence with single spaces only.
    ```

    ## Use instead
    ```markdown
    A sentence with single spaces only.
    ```

    ## Fix safety
    Safe: removes the comment, or only the unused codes from it.
    """,
)
_engine_rule(
    "XX003",
    "fix-not-converged",
    "Fixes did not reach a fixed point",
    "error",
    "never",
    """
    ## What it does
    Reports a file whose fixes kept changing it (a loop, or more than ten
    passes). The file is left untouched.

    ## Why is this bad?
    Two rules disagree about the text; applying either would be a guess.

    ## Example
    Two user rules that swap a word back and forth.

    ## Use instead
    Fix the rules involved (the message names them) or disable one.

    ## Fix safety
    No fix.
    """,
)
_engine_rule(
    "XX004",
    "invalid-suppression",
    "A suppression comment names an unknown rule",
    "warning",
    "never",
    """
    ## What it does
    Reports an `artlint-disable`, `artlint-enable` or
    `artlint-disable-next-line` comment that names a code or rule name artlint
    does not know.

    ## Why is this bad?
    The comment suppresses nothing; usually the code is mistyped.

    ## Example
    ```markdown
    <!-- artlint-disable-next-line WS999 -->
    ```

    ## Use instead
    ```markdown
    <!-- artlint-disable-next-line WS003 -->
    ```

    ## Fix safety
    No fix.
    """,
)
_engine_rule(
    "XX005",
    "file-too-large",
    "The file is larger than max-file-size and was skipped",
    "warning",
    "never",
    """
    ## What it does
    Reports a file larger than the `max-file-size` setting (default 10 MB).
    The file is not checked.

    ## Why is this bad?
    Articles are small; a file of many megabytes is usually a data dump or a
    generated file that slows every commit.

    ## Example
    A 50 MB export of a whole archive saved as `archive.txt`.

    ## Use instead
    Split it into articles, exclude it, or raise `max-file-size`.

    ## Fix safety
    No fix.
    """,
)
_engine_rule(
    "XX006",
    "rule-error",
    "A rule failed on this file",
    "error",
    "never",
    """
    ## What it does
    Reports that a rule raised an error on this file instead of finishing.
    The other rules still ran.

    ## Why is this bad?
    The file was not fully checked. This is a bug in artlint or in a user
    rule; the message names the rule and the error.

    ## Example
    A user rule whose pattern fails at run time.

    ## Use instead
    Report the message with the file that triggers it.

    ## Fix safety
    No fix.
    """,
)
_engine_rule(
    "XX007",
    "grammar-checks-skipped",
    "Grammar checks were skipped: no LanguageTool server answered",
    "info",
    "never",
    """
    ## What it does
    Reports, once per run, that the grammar checks (`GR`, turned on with
    `grammar = true` in the `[gr]` options) could not run: no
    `languagetool-url` is configured and no LanguageTool is on disk, or the
    server did not answer in time, answered with an HTTP error or with
    something that is not LanguageTool's JSON. The finding is attached to
    the first file that was not checked and says how many were not.

    ## Why is this bad?
    The articles were not checked for grammar, and a run that passes only
    because its grammar server was down should not look like a clean one.
    The finding is `info`, so the exit status does not change; with
    `artlint check --strict` it is an error and the run fails.

    ## Example
    `grammar = true` with `languagetool-url = "http://localhost:8081"` while
    no LanguageTool server runs on that port.

    ## Use instead
    Start the server (or correct `languagetool-url`), or set
    `grammar = false`.

    ## Fix safety
    No fix.
    """,
)
_engine_rule(
    "XX008",
    "file-not-written",
    "The fixed file could not be written; it was left as it was",
    "error",
    "never",
    """
    ## What it does
    Reports, with `artlint check --fix`, a file whose fixes were not written:
    it was changed or deleted by someone else while artlint was fixing it (a
    newer content is never overwritten, a deleted file never recreated), its
    mode gives its owner no write permission (artlint does not write over a
    read-only file, even as root), or writing failed (a full disk, a
    read-only file system, no permission on the folder); the message says
    which. The file keeps its content; a temporary file is never left
    behind. A one-line warning on standard error names the file too, and the
    run goes on with the other files. The finding is an error, so the run
    exits with status 1.

    ## Why is this bad?
    The fixes reported for the file are not in it: the findings that remain
    in it are listed again (a changed or deleted file is not checked again;
    run artlint once more).

    ## Example
    `artlint check --fix` on an article opened in an editor that saves it
    while artlint is fixing it, or on a disk with no space left.

    ## Use instead
    Run `artlint check --fix` again once the file is settled, writable
    (`chmod u+w`) and the disk has space.

    ## Fix safety
    No fix.
    """,
)

_engine_rule(
    "XX009",
    "rule-timeout",
    "A declarative rule's pattern took too long on this file and was stopped",
    "error",
    "never",
    """
    ## What it does
    Reports a rule from `rule-paths` (a YAML rule) that was stopped on this
    file because its regular expressions ran longer than `rule-timeout`
    (default 1 second per rule per file). The finding is on line 1 and names
    the rule and the key of its pattern; the findings the rule made before
    it was stopped are kept, the rest of the file was not checked by it. The
    other rules ran as usual. When XX009 is not selected (`--select HOUSE`),
    the stop is reported as XX006, so that it never passes silently.

    ## Why is this bad?
    A pattern that takes seconds on one article backtracks: overlapping
    repetitions try very many ways to split the text before they fail.
    Without a limit, one article could stop the whole run. Patterns that are
    plainly exponential (a repetition inside a repetition, such as
    `(\\w+\\s?)+`) are refused when the rule file is loaded; this catches
    the rest.

    ## Example
    A rule with `regex: true` and the token `[a-z]+[a-z]+[a-z]+[a-z]+\\d`
    (four repetitions side by side, which can split a word in very many
    ways) on an article with a line of 3,000 letters.

    ## Use instead
    Rewrite the pattern so that each part of the text can be matched in one
    way only (`[a-z]+\\d`), or make a repetition possessive (`[a-z]++`) or
    atomic (`(?>...)`). Raise `rule-timeout` only for a rule that is slow
    but sound.

    ## Fix safety
    No fix.
    """,
)


_engine_rule(
    "XX010",
    "markdown-too-deep",
    "Markdown nested too deep to be read; the text past it was not checked",
    "warning",
    "never",
    """
    ## What it does
    Reports where the Markdown parser stopped reading: lists and block
    quotes nested more than 20 levels deep. The parser skips what lies
    inside the deepest level, so no rule checks that text; the finding is on
    its first line.

    ## Why is this bad?
    No article needs twenty levels of lists. Such nesting comes from a
    broken conversion (every line indented one step more than the last), and
    the text lost in it goes unchecked without this finding.

    ## Example
    A list item indented two more spaces on each of thirty lines, each line
    one level deeper than the one before.

    ## Use instead
    Flatten the list: no more than a few levels.

    ## Fix safety
    No fix.
    """,
)


def load_builtin_rules() -> Registry:
    """Import the built-in rule modules (registering them) once."""
    from . import rules  # noqa: F401  (importing registers the rules)

    return BUILTIN
