"""GR: grammar, spelling and style, by LanguageTool.

Opt-in: ``grammar = true`` in the ``[gr]`` options turns the GR rules on (as
if ``extend-select = ["GR"]`` were in the config, so ``--select`` and
``--ignore`` still decide over them). The articles go to a LanguageTool
server: ``languagetool-url`` (a newsroom's own, or ``http://localhost:8081``
for one started by hand), or, without it, the LanguageTool that
language-tool-python has already downloaded, started for the run (it needs
Java). Nothing is ever downloaded. When no server answers, the checks are
skipped and the run says so once (``XX007``, info; an error with
``check --strict``).

Only prose is checked (the Document's prose mask; see lint/languagetool.py
for how the rest is sent as markup so that offsets stay exact), whole
paragraphs batched up to about 20,000 characters per request. Answers are
kept per request text for the rest of the process, so a fix pass re-sends
only the paragraphs it changed.

LanguageTool's categories map to stable codes:

| code  | LanguageTool categories |
|-------|-------------------------|
| GR001 | GRAMMAR |
| GR002 | TYPOS, COMPOUNDING (and any misspelling) |
| GR003 | PUNCTUATION, TYPOGRAPHY |
| GR004 | STYLE, REDUNDANCY, REPETITIONS, REPETITIONS_STYLE, PLAIN_ENGLISH, COLLOQUIALISMS, REGIONALISMS, GENDER_NEUTRALITY, WIKIPEDIA (and any style issue) |
| GR005 | CASING |
| GR006 | CONFUSED_WORDS, SEMANTICS, FALSE_FRIENDS |
| GR009 | everything else (MISC, categories of one language) |

A category not in the table goes by the issue type of its rule
(``misspelling`` → GR002, ``grammar`` → GR001, ``style`` → GR004, …), else
to GR009. LanguageTool rules that artlint's own rules cover are switched off
while those run, so nothing is reported twice: its quotation-mark rules
while any QT rule runs (and its unpaired-bracket findings on a quotation
mark), WHITESPACE_RULE while WS003 runs, the word-repeat rules while WS007
runs.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from artlint.document import Document
from artlint.engine import run_notice
from artlint.registry import rule
from artlint.types import Edit, Fix, Span, Violation

if TYPE_CHECKING:
    from artlint.languagetool import Match


def _lt():
    """The LanguageTool client, imported when a grammar check runs (the GR
    rules are opt-in: most runs never need it)."""
    from artlint import languagetool

    return languagetool


# LanguageTool rules that artlint's own rules cover (no double reports).
QUOTE_RULES = ("EN_QUOTES", "EN_UNPAIRED_QUOTES")
BRACKET_RULES = frozenset({"EN_UNPAIRED_BRACKETS", "UNPAIRED_BRACKETS"})  # also pair quotation marks
WHITESPACE_RULES = ("WHITESPACE_RULE",)
REPEAT_RULES = ("ENGLISH_WORD_REPEAT_RULE", "WORD_REPEAT_RULE")
_QUOTE_CHARS = frozenset('"“”„«»')

CATEGORY_CODES = {
    "GRAMMAR": "GR001",
    "TYPOS": "GR002",
    "COMPOUNDING": "GR002",
    "PUNCTUATION": "GR003",
    "TYPOGRAPHY": "GR003",
    "STYLE": "GR004",
    "REDUNDANCY": "GR004",
    "REPETITIONS": "GR004",
    "REPETITIONS_STYLE": "GR004",
    "PLAIN_ENGLISH": "GR004",
    "COLLOQUIALISMS": "GR004",
    "REGIONALISMS": "GR004",
    "GENDER_NEUTRALITY": "GR004",
    "WIKIPEDIA": "GR004",
    "CASING": "GR005",
    "CONFUSED_WORDS": "GR006",
    "SEMANTICS": "GR006",
    "FALSE_FRIENDS": "GR006",
}
ISSUE_TYPE_CODES = {
    "grammar": "GR001",
    "misspelling": "GR002",
    "typographical": "GR003",
    "whitespace": "GR003",
    "style": "GR004",
    "register": "GR004",
    "locale-violation": "GR004",
    "duplication": "GR004",
    "inconsistency": "GR006",
}
OTHER = "GR009"
MAX_SHOWN_REPLACEMENTS = 5
RETRY_AFTER = 60.0  # seconds before a server that was down is asked again
_CACHE_SIZE = 512


class GrammarOptions(NamedTuple):
    #: Check grammar with LanguageTool (turns the GR rules on).
    grammar: bool = False
    #: A LanguageTool server (its root, e.g. ``http://localhost:8081``, or
    #: its ``/v2``); empty: the LanguageTool language-tool-python has on disk.
    languagetool_url: str = ""
    #: Seconds to wait for each request.
    languagetool_timeout: float = 10.0
    #: The language to check in (``auto``: LanguageTool guesses). With an
    #: English variant, articles that do not read as English are not sent.
    language: str = "en-US"
    #: LanguageTool rule ids not to check (e.g. ``MORFOLOGIK_RULE_EN_US``).
    disabled_rules: tuple[str, ...] = ()
    #: LanguageTool category ids not to check (e.g. ``TYPOS``, ``STYLE``).
    disabled_categories: tuple[str, ...] = ()
    # Derived from the selection (bind_selection), not config keys.
    covered_rules: tuple[str, ...] = ()
    quotes_to_qt: bool = False
    _not_config = ("covered_rules", "quotes_to_qt")

    def validate(self) -> None:
        if self.languagetool_url and not _lt().valid_url(self.languagetool_url):
            raise ValueError(f"languagetool-url '{self.languagetool_url}' is not an http:// or https:// URL")
        if self.languagetool_timeout <= 0:
            raise ValueError("languagetool-timeout must be a number of seconds above 0")
        if not self.language.strip():
            raise ValueError("language must be a LanguageTool language code such as 'en-US' or 'auto'")

    def implied_selectors(self) -> tuple[str, ...]:
        return ("GR",) if self.grammar else ()

    def bind_selection(self, enabled: frozenset[str]) -> GrammarOptions:
        quotes = any(code.startswith("QT") for code in enabled)
        covered = (QUOTE_RULES if quotes else ()) + (WHITESPACE_RULES if "WS003" in enabled else ()) + (
            REPEAT_RULES if "WS007" in enabled else ()
        )
        return self._replace(covered_rules=covered, quotes_to_qt=quotes)

    def prepare_run(self) -> None:
        """Before worker processes fork: start the local LanguageTool once."""
        if self.grammar and not self.languagetool_url:
            _lt().local_server(self.language)


# ------------------------------------------------------------------ state
# Answers per request (key: server, parameters and annotated text), and
# servers that were down: (monotonic time to ask again, message).
_ANSWERS: OrderedDict[str, list[Match]] = OrderedDict()
_DOWN: dict[str, tuple[float, str]] = {}


def reset() -> None:
    """Forget answers and servers that were down (tests; a long-lived
    process may call it too)."""
    _ANSWERS.clear()
    _DOWN.clear()


def _skip(doc: Document, reason: str) -> None:
    run_notice(doc, "XX007", f"Grammar checks skipped: {reason}")


def _server(opts: GrammarOptions) -> tuple[str | None, str]:
    if opts.languagetool_url:
        return _lt().check_url(opts.languagetool_url), ""
    base, reason = _lt().local_server(opts.language)
    return (_lt().check_url(base), "") if base else (None, reason)


def request_params(opts: GrammarOptions) -> dict[str, str]:
    """The form fields of each request, less the text."""
    params = {"language": opts.language}
    rules = sorted(set(opts.disabled_rules) | set(opts.covered_rules))
    if rules:
        params["disabledRules"] = ",".join(rules)
    if opts.disabled_categories:
        params["disabledCategories"] = ",".join(sorted(set(opts.disabled_categories)))
    return params


def _check_chunk(doc: Document, start: int, end: int, url: str, params: dict[str, str],
                 timeout: float) -> list[Match]:
    parts = _lt().annotation(doc, start, end)
    import hashlib  # only when grammar checks run: not on every start-up
    import json

    key = hashlib.sha256(json.dumps([url, params, parts], ensure_ascii=False).encode()).hexdigest()
    found = _ANSWERS.get(key)
    if found is None:
        raw = _lt().check(url, parts, params, timeout)
        index = _lt().Utf16Index(doc.text[start:end])
        try:
            found = [_lt().parse_match(m, index, 0, end - start) for m in raw]
        except ValueError as exc:
            where = url.removesuffix("/v2/check")
            raise _lt().LanguageToolError(
                f"the LanguageTool server at {where} sent a malformed answer ({exc})"
            ) from None
        _ANSWERS[key] = found
        if len(_ANSWERS) > _CACHE_SIZE:
            _ANSWERS.popitem(last=False)
    else:
        _ANSWERS.move_to_end(key)
    import dataclasses  # LanguageTool's matches (languagetool.Match)

    return [dataclasses.replace(m, start=m.start + start, end=m.end + start) for m in found]


def code_for(match: Match) -> str:
    """The GR code of a LanguageTool match (see the module's table)."""
    return CATEGORY_CODES.get(match.category) or ISSUE_TYPE_CODES.get(match.issue_type) or OTHER


def findings(doc: Document, opts: GrammarOptions | None) -> list[tuple[str, Violation]]:
    """Every GR finding of ``doc`` as (code, violation): one round of
    requests per document, shared by the GR rules."""
    cached = doc.cache.get("gr")
    if cached is not None:
        return cached
    out: list[tuple[str, Violation]] = []
    doc.cache["gr"] = out
    if opts is None or not opts.grammar:
        return out
    if opts.language.lower().startswith("en") and doc.language != "en":
        return out  # an article in another language: nothing useful to say
    spans = _lt().chunks(doc)
    if not spans:
        return out
    url, reason = _server(opts)
    if url is None:
        _skip(doc, reason)
        return out
    down = _DOWN.get(url)
    if down is not None:
        if time.monotonic() < down[0]:
            run_notice(doc, "XX007", down[1])
            return out
        del _DOWN[url]
    params = request_params(opts)
    matches: list[Match] = []
    try:
        for start, end in spans:
            matches.extend(_check_chunk(doc, start, end, url, params, opts.languagetool_timeout))
    except _lt().LanguageToolError as exc:
        message = f"Grammar checks skipped: {exc}"
        if exc.down:
            _DOWN[url] = (time.monotonic() + RETRY_AFTER, message)
        run_notice(doc, "XX007", message)
        # What the paragraphs before the failure showed is still reported.
    disabled = set(opts.disabled_rules)
    for m in matches:
        if m.rule_id in disabled or not doc.is_prose(m.start, m.end):
            continue
        if opts.quotes_to_qt and m.rule_id in BRACKET_RULES and doc.text[m.start:m.end] in _QUOTE_CHARS:
            continue  # an unpaired quotation mark: QT's to report
        out.append((code_for(m), _violation(doc, m)))
    return out


def _violation(doc: Document, m: Match) -> Violation:
    span = Span(m.start, m.end)
    message = f"{m.message} (LanguageTool: {m.rule_id})"
    current = doc.text[m.start:m.end]
    options = [r for r in dict.fromkeys(m.replacements) if r != current]
    fix = None
    if len(options) == 1:
        fix = Fix.unsafe(f"Replace with '{options[0]}'", Edit(span, options[0]))
    elif options:
        shown = ", ".join(f"'{r}'" for r in options[:MAX_SHOWN_REPLACEMENTS])
        more = f" (and {len(options) - MAX_SHOWN_REPLACEMENTS} more)" if len(options) > MAX_SHOWN_REPLACEMENTS else ""
        fix = Fix.display_only(f"Replace with one of {shown}{more}", Edit(span, options[0]))
    return Violation(span, message, fix)


_FIX_SAFETY = """
    ## Fix safety
    Unsafe when LanguageTool suggests exactly one replacement (it is a
    guess: applied with `--fix --unsafe-fixes`); display-only when it
    suggests several (the first is shown, none is applied); no fix when it
    suggests none.
"""


def _with_fix_safety(func):
    func.__doc__ = (func.__doc__ or "") + _FIX_SAFETY
    return func


def _report(doc: Document, opts: GrammarOptions | None, code: str) -> Iterator[Violation]:
    for c, v in findings(doc, opts):
        if c == code:
            yield v




@rule(code="GR001", name="grammar-error", summary="A grammar error found by LanguageTool",
      severity="warning", fixable="sometimes", default=False, options=GrammarOptions)
@_with_fix_safety
def grammar_error(doc: Document, opts: GrammarOptions) -> Iterator[Violation]:
    """
    ## What it does
    Reports what LanguageTool files under grammar (its `GRAMMAR` category):
    agreement, verb forms, articles, missing words. The message is
    LanguageTool's, with the id of its rule, e.g. "(LanguageTool:
    HE_VERB_AGR)". Grammar checks are opt-in: `grammar = true` in the
    `[gr]` options, with a LanguageTool server (`languagetool-url`) or the
    LanguageTool that language-tool-python has on disk.

    ## Why is this bad?
    Spun and machine-translated articles are full of them, and edited ones
    keep a few; readers notice.

    ## Example
    ```text
    The council have voted on the plan, and the mayor say it will pass.
    ```

    ## Use instead
    ```text
    The council has voted on the plan, and the mayor says it will pass.
    ```
    """
    yield from _report(doc, opts, "GR001")


@rule(code="GR002", name="spelling-error", summary="A misspelt word found by LanguageTool",
      severity="warning", fixable="sometimes", default=False, options=GrammarOptions)
@_with_fix_safety
def spelling_error(doc: Document, opts: GrammarOptions) -> Iterator[Violation]:
    """
    ## What it does
    Reports LanguageTool's spelling findings (its `TYPOS` and `COMPOUNDING`
    categories and any rule whose issue type is a misspelling), with the
    id of its rule in the message, e.g. "(LanguageTool:
    MORFOLOGIK_RULE_EN_US)". Names are often unknown to its dictionary:
    switch the rule off for an article with a suppression comment, or
    LanguageTool's speller with `disabled-rules = ["MORFOLOGIK_RULE_EN_US"]`.

    ## Why is this bad?
    A typo in a news story costs it credibility.

    ## Example
    ```text
    The minister said teh talks would resume on Monday.
    ```

    ## Use instead
    ```text
    The minister said the talks would resume on Monday.
    ```
    """
    yield from _report(doc, opts, "GR002")


@rule(code="GR003", name="punctuation-error", summary="A punctuation or typography error found by LanguageTool",
      severity="warning", fixable="sometimes", default=False, options=GrammarOptions)
@_with_fix_safety
def punctuation_error(doc: Document, opts: GrammarOptions) -> Iterator[Violation]:
    """
    ## What it does
    Reports LanguageTool's `PUNCTUATION` and `TYPOGRAPHY` findings: a
    missing comma, a doubled full stop, a wrong dash. Its quotation-mark
    rules are left to the QT rules while any of them runs.

    ## Why is this bad?
    Punctuation errors change how a sentence reads, and some its meaning.

    ## Example
    ```text
    However the vote was delayed..
    ```

    ## Use instead
    ```text
    However, the vote was delayed.
    ```
    """
    yield from _report(doc, opts, "GR003")


@rule(code="GR004", name="style-suggestion", summary="A style suggestion from LanguageTool",
      severity="info", fixable="sometimes", default=False, options=GrammarOptions)
@_with_fix_safety
def style_suggestion(doc: Document, opts: GrammarOptions) -> Iterator[Violation]:
    """
    ## What it does
    Reports LanguageTool's style findings: its `STYLE`, `REDUNDANCY`,
    `REPETITIONS`, `PLAIN_ENGLISH`, `COLLOQUIALISMS` and similar
    categories (wordiness, "in order to", a word repeated in nearby
    sentences).

    ## Why is this bad?
    Not wrong, but news style asks for short, plain sentences. The rule is
    `info`: reported, never failing a run by default.

    ## Example
    ```text
    The mayor will speak in order to explain the plan.
    ```

    ## Use instead
    ```text
    The mayor will speak to explain the plan.
    ```
    """
    yield from _report(doc, opts, "GR004")


@rule(code="GR005", name="casing-error", summary="A capital or lower-case letter where the other belongs",
      severity="warning", fixable="sometimes", default=False, options=GrammarOptions)
@_with_fix_safety
def casing_error(doc: Document, opts: GrammarOptions) -> Iterator[Violation]:
    """
    ## What it does
    Reports LanguageTool's `CASING` findings: a sentence that starts in
    lower case, a proper name or a weekday not capitalised.

    ## Why is this bad?
    Scraped text often loses its capitals at line or paragraph breaks.

    ## Example
    ```text
    The talks ended on monday. the ministers left.
    ```

    ## Use instead
    ```text
    The talks ended on Monday. The ministers left.
    ```
    """
    yield from _report(doc, opts, "GR005")


@rule(code="GR006", name="confused-words", summary="A word easily confused with another, found by LanguageTool",
      severity="warning", fixable="sometimes", default=False, options=GrammarOptions)
@_with_fix_safety
def confused_words(doc: Document, opts: GrammarOptions) -> Iterator[Violation]:
    """
    ## What it does
    Reports LanguageTool's `CONFUSED_WORDS`, `SEMANTICS` and
    `FALSE_FRIENDS` findings: "their" for "there", "could of", a date
    whose weekday is wrong.

    ## Why is this bad?
    A spell checker does not see them: each word is spelt right.

    ## Example
    ```text
    The ministers said there plan could of worked.
    ```

    ## Use instead
    ```text
    The ministers said their plan could have worked.
    ```
    """
    yield from _report(doc, opts, "GR006")


@rule(code="GR009", name="other-language-issue", summary="Another finding of LanguageTool",
      severity="info", fixable="sometimes", default=False, options=GrammarOptions)
@_with_fix_safety
def other_language_issue(doc: Document, opts: GrammarOptions) -> Iterator[Violation]:
    """
    ## What it does
    Reports LanguageTool's findings in any category the other GR rules do
    not take: `MISC` and the categories of one language, with the id of
    LanguageTool's rule in the message.

    ## Why is this bad?
    Each is worth a glance; the rule is `info` and never fails a run by
    default.

    ## Example
    ```text
    The meeting is on Friday, 3 March 2024.
    ```

    ## Use instead
    ```text
    The meeting is on Sunday, 3 March 2024.
    ```
    """
    yield from _report(doc, opts, "GR009")
