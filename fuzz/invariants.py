"""The invariants of artlint's whole pipeline, checked on one input.

``check_pipeline(data, path, unsafe)`` takes the bytes of an article as they
would be on disk and runs what ``artlint check --fix`` runs on them: decode
(BOM, encoding, line endings), Document, every built-in rule but grammar
(GR needs a LanguageTool server; off-by-default QT and RD rules included),
the fixer at the safe level and, with ``unsafe``, at the unsafe level too,
and the reporters. A broken invariant raises :class:`InvariantError`;
any other exception is a crash of the pipeline itself. The invariants:

* no exception escapes, and no rule fails inside the engine (XX006);
* every span (regions, paragraphs, headline, diagnostics, fix edits) lies
  inside the text it refers to;
* the fixer converges (no XX003), and fixing the fixed file again, read back
  from its bytes, changes nothing: fix(fix(x)) == fix(x);
* applying only safe fixes never removes a paragraph that had no finding:
  its prose words are still prose after the pass that applied them (not
  deleted, nor hidden in a comment, code or front matter); a later pass may
  well find a paragraph an earlier fix made boilerplate (a former headline);
* outside the fixes' edits the file is byte-identical: replaying the
  selected edits of every pass on the on-disk text (CRs kept, inserted line
  breaks in the file's dominant ending, fixes at the start left out when the
  text would not read back) gives exactly the fixer's result;
* line endings, BOM and encoding survive: the fixed bytes decode to the same
  text, encoding and BOM, a CRLF-only file stays CRLF-only, an LF file gains
  no CR.

The fuzz target (fuzz_artlint.py) and the suite's property test
(tests/reliability/test_pipeline_properties.py) both call this module.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from artlint.config import Layer, build_settings
from artlint.document import Document
from artlint.engine import lint_document
from artlint.files import DecodeError, Source, decode, normalize_newlines
from artlint.fixer import fix_source, select_fixes
from artlint import output
from artlint.runner import FileResult
from artlint.types import Applicability, Diagnostic

# Every built-in family but grammar (GR): off-by-default rules too.
FAMILIES = ("AT", "BP", "HL", "QT", "RD", "WS", "XX")

_WORDS_RE = re.compile(r"\w+")


class InvariantError(AssertionError):
    """A broken pipeline invariant; ``name`` says which."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name


def _fail(name: str, detail: str) -> None:
    raise InvariantError(name, detail)


_SETTINGS: list = []


def fuzz_settings():
    """Settings selecting every built-in rule but GR (built once)."""
    if not _SETTINGS:
        layer = Layer(select=FAMILIES)
        _SETTINGS.append(build_settings({}, Path.cwd(), None, layer))
    return _SETTINGS[0]


# ------------------------------------------------------------------ spans
def _check_span(what: str, span, n: int) -> None:
    if not (0 <= span.start <= span.end <= n):
        _fail("span-inside-text", f"{what} {span.start}-{span.end} outside a text of {n} characters")


def check_document(doc: Document) -> None:
    n = len(doc.text)
    if "\r\n" in doc.text:
        _fail("document-shape", "a CRLF left in the normalised text")
    if len(doc.mask) != n or len(doc.prose) != n:
        _fail("document-shape", f"mask {len(doc.mask)} / prose {len(doc.prose)} for a text of {n}")
    for r in doc.regions:
        _check_span(f"region {r.kind}", r.span, n)
    for p in doc.paragraphs:
        _check_span(f"paragraph {p.kind}", p.span, n)
    if doc.headline is not None:
        _check_span("headline", doc.headline.span, n)


def check_diagnostics(diags: list[Diagnostic], text: str) -> None:
    n = len(text)
    for d in diags:
        if d.code == "XX006":
            _fail("no-rule-crash", d.message)
        _check_span(f"{d.code} finding", d.span, n)
        if d.fix is not None:
            for e in d.fix.edits:
                _check_span(f"{d.code} fix edit", e.span, n)


# ------------------------------------------------------------ the fixer
def _recording_lint(path: str, settings, record: list):
    def lint(text: str) -> list[Diagnostic]:
        doc = Document(path, text)
        diags = lint_document(doc, settings)
        check_document(doc)
        check_diagnostics(diags, text)
        record.append((text, diags, doc))
        return diags

    return lint


def _norm_to_raw(raw: str) -> list[int]:
    """For each offset of the normalised text (and its end), the offset in
    ``raw`` of the characters it came from: a line feed that had carriage
    returns before it maps to the first of them."""
    out: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        if raw[i] == "\r":
            j = i
            while j < n and raw[j] == "\r":
                j += 1
            if j < n and raw[j] == "\n":
                out.append(i)
                i = j + 1
            else:
                out.extend(range(i, j))
                i = j
            continue
        out.append(i)
        i += 1
    out.append(n)
    return out


def _replay(raw: str, text: str, diags: list[Diagnostic], level: Applicability, newline: str,
            encoding: str, bom: bytes) -> str:
    """The on-disk text after one pass, built independently of the fixer.
    A fixed text must read back as itself (not start with what reads as a
    BOM): failing that, the fixes at its start are left out."""
    chosen = select_fixes(diags, level)
    out = _splice(raw, text, chosen, newline)
    if not _reads_back(out, encoding, bom) and _reads_back(raw, encoding, bom):
        out = _splice(raw, text, [d for d in chosen if d.fix.edits[0].span.start > 0], newline)  # type: ignore[union-attr]
    return out


def _reads_back(raw: str, encoding: str, bom: bytes) -> bool:
    try:
        back = decode(bom + raw.encode(encoding))
    except (DecodeError, UnicodeError):
        return False
    return (back.raw, back.encoding, back.bom) == (raw, encoding, bom)


def _splice(raw: str, text: str, chosen: list[Diagnostic], newline: str) -> str:
    index = _norm_to_raw(raw)
    if len(index) != len(text) + 1:
        _fail("byte-identical-outside-edits", "the normalised text does not match the on-disk text")
    edits = sorted((e for d in chosen for e in d.fix.edits),  # type: ignore[union-attr]
                   key=lambda e: (e.span.start, e.span.end))
    out, pos = [], 0
    for e in edits:
        start, end = index[e.span.start], index[e.span.end]
        if start < pos:
            _fail("byte-identical-outside-edits", f"selected edits overlap at {e.span}")
        out.append(raw[pos:start])
        out.append(e.text.replace("\n", newline))
        pos = end
    out.append(raw[pos:])
    return "".join(out)


def _lone_lf(s: str) -> int:
    return s.count("\n") - s.count("\r\n")


def check_fix(source: Source, path: str, level: Applicability, settings=None):
    """Fix ``source`` at ``level`` and check the fixer's invariants. Returns
    (fixed Source, the passes' (text, diagnostics, Document))."""
    settings = settings or fuzz_settings()
    passes: list = []
    result = fix_source(source, _recording_lint(path, settings, passes), level)
    if not result.converged:
        _fail("fix-converges", f"no fixed point at {level.value} level (rules: {', '.join(result.loop_codes)})")
    fixed = result.source
    if (fixed.encoding, fixed.bom) != (source.encoding, source.bom):
        _fail("encoding-survives", f"{source.encoding}+{source.bom!r} became {fixed.encoding}+{fixed.bom!r}")

    # Text outside the edits is byte-identical: replay every pass on the raw text.
    newline = "\r\n" if source.crlf else "\n"
    raw = source.raw
    for i, (text, diags, _doc) in enumerate(passes):
        normal, _ = Source(raw, source.encoding, source.bom).normalized()
        if normal != text:
            _fail("byte-identical-outside-edits", f"pass {i} linted a text that is not the replayed file")
        if i + 1 < len(passes):
            raw = _replay(raw, text, diags, level, newline, source.encoding, source.bom)
    if raw != fixed.raw:
        _fail("byte-identical-outside-edits", "the fixed file differs from the replay of the selected edits")

    # Line endings survive.
    if "\r" not in source.raw and "\r" in fixed.raw:
        _fail("line-endings-survive", "a carriage return appeared in an LF file")
    if "\r\n" in source.raw and _lone_lf(source.raw) == 0 and _lone_lf(fixed.raw) > 0:
        _fail("line-endings-survive", "a lone LF appeared in a CRLF file")
    if source.crlf and _lone_lf(fixed.raw) > _lone_lf(source.raw):
        _fail("line-endings-survive", "lone LFs multiplied in a CRLF file")

    # The fixed bytes read back as the same text, BOM and encoding.
    data = fixed.encode()
    try:
        again = decode(data)
    except DecodeError as exc:
        _fail("encoding-survives", f"the fixed file cannot be read back: {exc}")
    if (again.raw, again.encoding, again.bom) != (fixed.raw, fixed.encoding, fixed.bom):
        _fail("encoding-survives", f"the fixed file reads back as {again.encoding}+{again.bom!r}, "
                                   f"{len(again.raw)} characters instead of {len(fixed.raw)}")

    # fix(fix(x)) == fix(x), through the bytes.
    if result.changed:
        second = fix_source(again, _recording_lint(path, settings, []), level)
        if not second.converged or second.source.raw != fixed.raw:
            _fail("fix-idempotent", f"fixing the fixed file again at {level.value} level changed it")
    return fixed, passes


def check_paragraphs_kept(passes: list) -> None:
    """Safe fixes never remove a paragraph that had no finding: in every
    pass, the prose words of each paragraph no finding touches are still
    prose in the next pass, in order and together (a fix for one paragraph
    never takes another with it, nor turns it into a comment or code)."""
    for (text, diags, doc), (_, _, after_doc) in zip(passes, passes[1:]):
        after = " " + " ".join(_WORDS_RE.findall(after_doc.prose)) + " "
        prose = doc.prose
        for p in doc.paragraphs:
            if any(d.span.start <= p.span.end and d.span.end >= p.span.start for d in diags):
                continue
            words = _WORDS_RE.findall(prose[p.span.start : p.span.end])
            if words and f" {' '.join(words)} " not in after:
                _fail("safe-fix-keeps-paragraphs",
                      f"paragraph {text[p.span.start:p.span.end][:60]!r} had no finding and was removed")


# ------------------------------------------------------------ the reporters
def check_reporters(result: FileResult) -> None:
    """The output formats render the findings (SARIF, the slowest, aside)."""
    for write in (output.write_full, output.write_concise, output.write_github, output.write_junit):
        write([result], io.StringIO(), False)
    for write in (output.write_json, output.write_gitlab):
        out = io.StringIO()
        write([result], out, False)
        try:
            json.loads(out.getvalue())
        except ValueError as exc:
            _fail("reporter-output", f"{write.__name__} wrote invalid JSON: {exc}")


# ------------------------------------------------------------ the pipeline
def check_decode_error(exc: DecodeError, data: bytes) -> None:
    """What the runner does with unreadable bytes must hold together."""
    text = normalize_newlines(exc.text)
    offset = len(normalize_newlines(exc.text[: exc.offset]))
    if not 0 <= offset <= len(text):
        _fail("span-inside-text", f"decode error offset {offset} outside {len(text)} characters")
    Document(None, text).position(offset)


def check_pipeline(data: bytes, path: str = "article.txt", unsafe: bool = False, settings=None) -> None:
    """Run the whole pipeline on ``data`` and check every invariant."""
    settings = settings or fuzz_settings()
    try:
        source = decode(data)
    except DecodeError as exc:
        check_decode_error(exc, data)
        return
    if source.encode() != data:
        _fail("encoding-survives", "the decoded file does not encode back to its bytes")

    _, passes = check_fix(source, path, Applicability.SAFE, settings)
    check_paragraphs_kept(passes)
    first_text, first_diags, _ = passes[0]

    # The reporters render every finding of the unfixed text.
    if first_diags:
        check_reporters(FileResult(path, first_diags, first_text, settings))

    if unsafe:
        check_fix(source, path, Applicability.UNSAFE, settings)

