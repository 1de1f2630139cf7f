"""Run the enabled rules over one Document and apply suppressions."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator

from .config import Settings
from .document import Document
from .edits import delete_lines, delete_span_in_line
from .recache import compile as re_compile
from .types import Diagnostic, Edit, Fix, Severity, Span

_SUPPRESSION_RE = re_compile(
    # The codes stop at the next "<!--" too: a comment that never closes is
    # then read up to the next one, not to the end of the text (n of them
    # would cost n times the text).
    r"<!--\s*artlint-(disable-next-line|disable-line|disable|enable)\b(?P<codes>(?:(?!-->|<!--).)*?)\s*-->",
    re.S,
)


class RuleTimeout(Exception):
    """Raised by a rule that ran out of time on a document (a declarative
    rule's pattern that backtracks): reported as XX009 with this message,
    the rule's findings before it was stopped kept."""


def lint_document(doc: Document, settings: Settings) -> list[Diagnostic]:
    """All diagnostics for ``doc`` under ``settings``, suppressions applied,
    in source order."""
    ignored = settings.ignored_for(doc.path)
    diags: list[Diagnostic] = []
    n = len(doc.text)
    for code, meta in settings.enabled.items():
        if meta.func is None or code in ignored:
            continue
        severity = settings.severity[code]
        try:
            for v in meta.func(doc, settings.options.get(code)):
                span = v.span
                if span.end > n:
                    raise ValueError(f"span {span.start}-{span.end} is outside the text")
                fix = v.fix
                if fix is not None and any(e.span.end > n or doc.touches_mask(e.span, e.text) for e in fix.edits):
                    fix = None  # never edit code, front matter or other non-prose
                diags.append(Diagnostic(code, meta.name, span, v.message, severity, fix))
        except RuleTimeout as exc:
            doc.cache[INCOMPLETE] = True  # whatever is reported: not a result to keep
            # XX009; when it is not selected (``--select HOUSE``), XX006, which
            # always is: a rule that did not finish must not pass silently.
            if "XX009" in settings.enabled and "XX009" not in ignored:
                diags.append(_engine_diag(settings, "XX009", Span(0, 0), str(exc)))
            elif "XX006" in settings.enabled and "XX006" not in ignored:
                diags.append(_engine_diag(settings, "XX006", Span(0, 0), f"{code} failed: {exc}"))
        except Exception as exc:  # a broken rule must not take the run down
            diags.append(_engine_diag(settings, "XX006", Span(0, 0), f"{code} failed: {type(exc).__name__}: {exc}"))
    if doc.kind == "markdown" and "XX010" in settings.enabled and "XX010" not in ignored:
        line = doc.unread_line
        if line is not None:
            diags.append(_engine_diag(settings, "XX010", doc.line_span(line),
                                      f"Markdown nested too deep to be read: the text of line {line} and of "
                                      "the deeper levels after it was not checked"))
    if doc.kind == "markdown" and "<!--" in doc.text:
        diags = apply_suppressions(doc, diags, settings)
    diags.sort(key=lambda d: d.sort_key)
    return diags


def _engine_diag(settings: Settings, code: str, span: Span, message: str, fix: Fix | None = None) -> Diagnostic:
    meta = settings.registry.rules[code]
    return Diagnostic(code, meta.name, span, message, settings.severity.get(code, meta.severity), fix)


def engine_diag(settings: Settings, code: str, message: str, span: Span = Span(0, 0)) -> Diagnostic:
    return _engine_diag(settings, code, span, message)


RUN_NOTICES = "run-notices"  # the key in Document.cache
# Set in Document.cache when a rule ran out of time: the findings may be
# incomplete, because of the machine's load and not the file, so the
# runner does not cache them.
INCOMPLETE = "incomplete"


def run_notice(doc: Document, code: str, message: str) -> None:
    """Note a condition of the whole run met while checking ``doc`` (a
    grammar server that did not answer). The runner keeps it with the file's
    result (it travels back from worker processes) and
    ``runner.report_run_notices`` reports each code once per run, as an
    engine diagnostic on the first file concerned. The first message wins."""
    doc.cache.setdefault(RUN_NOTICES, {}).setdefault(code, message)


class _Directive:
    __slots__ = ("action", "span", "codes_span", "selectors", "codes", "line", "end_line", "used", "used_all")

    def __init__(self, action: str, span: Span, codes_span: Span, selectors: list[str], codes: list[set[str]],
                 line: int, end_line: int, used: list[bool] | None = None, used_all: bool = False) -> None:
        self.action = action
        self.span = span  # the whole comment
        self.codes_span = codes_span
        self.selectors = selectors  # empty: every rule
        self.codes = codes  # codes per selector
        self.line = line
        self.end_line = end_line
        self.used: list[bool] = [] if used is None else used
        self.used_all = used_all


def _directives(doc: Document, settings: Settings, out: list[Diagnostic]) -> list[_Directive]:
    # The comments themselves, read the way HTML reads them: from "<!--" to
    # the first "-->". A directive must be one of them, not text inside one
    # ("<!-- <!-- artlint-disable -->" is a single comment that disables
    # nothing; removing the inner part would leave the outer "<!--" open).
    text = doc.text
    comments = {c for r in doc.regions if r.kind == "html-comment" for c in _comments(text, r.span.start, r.span.end)}
    found = []
    for m in _SUPPRESSION_RE.finditer(text):
        if (m.start(), m.end()) not in comments:
            continue  # inside code, inside another comment, or not a real HTML comment
        raw = m.group("codes")
        selectors = [s for s in re.split(r"[\s,]+", raw.strip()) if s]
        codes: list[set[str]] = []
        for sel in selectors:
            matched, _ = settings.registry.match(sel)
            if not matched:
                out.append(_engine_diag(
                    settings, "XX004", Span(m.start(), m.end()),
                    f"Unknown rule '{sel}' in artlint-{m.group(1)} comment",
                ))
            codes.append(set(matched))
        line, _ = doc.position(m.start())
        end_line, _ = doc.position(m.end())
        d = _Directive(m.group(1), Span(m.start(), m.end()), Span(m.start("codes"), m.end("codes")),
                       selectors, codes, line, end_line, [False] * len(selectors))
        found.append(d)
    return found


def _comments(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each HTML comment in ``text[start:end]``, in one
    pass: a "<!--" that never closes ends the search."""
    at = text.find("<!--", start, end)
    while at != -1:
        close = text.find("-->", at + 4, end)
        if close == -1:
            return
        yield at, close + 3
        at = text.find("<!--", close + 3, end)


def apply_suppressions(doc: Document, diags: list[Diagnostic], settings: Settings) -> list[Diagnostic]:
    extra: list[Diagnostic] = []
    directives = _directives(doc, settings, extra)
    if not directives:
        return diags + extra
    # Ranges (start offset, end offset, directive, selector index; -1 = all)
    # from each disable to the enable that closes it.  An enable without
    # codes closes every open disable; with codes, the disables of exactly
    # those selectors.
    ranges: list[tuple[int, int, _Directive, int]] = []
    open_: list[tuple[_Directive, int]] = []
    for d in directives:
        if d.action == "disable":
            if d.selectors:
                open_.extend((d, i) for i in range(len(d.selectors)))
            else:
                open_.append((d, -1))
        elif d.action == "enable":
            closing = set().union(*d.codes) if d.selectors else None
            still = []
            for od, i in open_:
                if closing is None or (i != -1 and od.codes[i] and od.codes[i] <= closing):
                    ranges.append((od.span.end, d.span.start, od, i))
                else:
                    still.append((od, i))
            open_ = still
    end_of_text = len(doc.text) + 1
    ranges.extend((od.span.end, end_of_text, od, i) for od, i in open_)
    # The line directives as ranges too: from the start of their first line
    # to the start of the line after their last.
    starts = doc.line_starts

    def line_start(line: int) -> int:
        return starts[line - 1] if line <= len(starts) else end_of_text

    for d in directives:
        if d.action == "disable-next-line":
            first = last = d.end_line + 1
        elif d.action == "disable-line":
            first, last = d.line, d.end_line
        else:
            continue
        for i in range(len(d.selectors)) if d.selectors else (-1,):
            ranges.append((line_start(first), line_start(last + 1), d, i))

    # One sweep over the findings in the order of their offsets: the ranges
    # open at each are counted per code ("*" for all), and each range is
    # marked used once, by the first finding it holds; thousands of
    # directives and findings take time in proportion to their number, not
    # their product.
    ranges.sort(key=lambda r: r[0])
    order = sorted((k for k, diag in enumerate(diags) if not diag.code.startswith("XX")),
                   key=lambda k: diags[k].span.start)
    suppressed: set[int] = set()
    active: list[tuple[int, int]] = []  # heap of (end, range index)
    count: dict[str, int] = {}
    pending: dict[str, list[int]] = {}
    keys = [("*",) if i == -1 else tuple(d.codes[i]) for _, _, d, i in ranges]
    nxt = 0
    for k in order:
        x = diags[k].span.start
        while nxt < len(ranges) and ranges[nxt][0] <= x:
            heapq.heappush(active, (ranges[nxt][1], nxt))
            for key in keys[nxt]:
                count[key] = count.get(key, 0) + 1
                pending.setdefault(key, []).append(nxt)
            nxt += 1
        while active and active[0][0] <= x:
            _, gone = heapq.heappop(active)
            for key in keys[gone]:
                count[key] -= 1
        code = diags[k].code
        if count.get("*", 0) or count.get(code, 0):
            suppressed.add(k)
            for key in ("*", code):
                for r in pending.pop(key, ()):
                    start, end, d, i = ranges[r]
                    if start <= x < end:
                        if i == -1:
                            d.used_all = True
                        else:
                            d.used[i] = True
    kept = [diag for k, diag in enumerate(diags) if k not in suppressed]

    if "XX002" in settings.enabled and "XX002" not in settings.ignored_for(doc.path):
        for d in directives:
            if d.action == "enable":
                continue
            if not d.selectors:
                if not d.used_all:
                    extra.append(_unused(doc, settings, d, []))
                continue
            unused = [i for i, sel in enumerate(d.selectors)
                      if not d.used[i] and d.codes[i] and d.codes[i] & set(settings.enabled)]
            # A selector whose rules are not running cannot be judged unused.
            if unused:
                extra.append(_unused(doc, settings, d, unused))
    return kept + extra


def _unused(doc: Document, settings: Settings, d: _Directive, unused: list[int]) -> Diagnostic:
    if not d.selectors:
        message = f"Unused artlint-{d.action} comment: it suppresses nothing"
        unused_all = True
    else:
        names = ", ".join(d.selectors[i] for i in unused)
        message = f"Unused suppression of {names} in artlint-{d.action} comment"
        unused_all = len(unused) == len(d.selectors)
    if unused_all:
        line_start = doc.line_starts[d.line - 1]
        end_span = doc.line_span(d.end_line)
        alone = not doc.text[line_start : d.span.start].strip() and not doc.text[d.span.end : end_span.end].strip()
        if alone:
            fix = Fix.safe("Remove the unused suppression comment", delete_lines(doc, d.line, d.end_line))
        elif not doc.text[d.span.end : end_span.end].strip():
            # At the end of a line of text: the line still starts as it did.
            fix = Fix.safe("Remove the unused suppression comment", delete_span_in_line(doc, d.span))
        else:
            # Text after it is read again without the comment: "```" or
            # "---" would open a fence or front matter, two halves of a
            # line may join into markup. Check the result.
            fix = Fix.unsafe("Remove the unused suppression comment", delete_span_in_line(doc, d.span))
    else:
        keep = " ".join(s for i, s in enumerate(d.selectors) if i not in unused)
        fix = Fix.safe(f"Remove {', '.join(d.selectors[i] for i in unused)} from the comment",
                       Edit(d.codes_span, " " + keep))
    return Diagnostic("XX002", "unused-suppression", d.span, message,
                      settings.severity.get("XX002", Severity.WARNING), fix)
