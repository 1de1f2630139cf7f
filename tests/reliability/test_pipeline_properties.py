"""The whole pipeline (decode, Document, every rule but grammar, the fixer,
the reporter) under hypothesis, with the invariants of the atheris fuzz
target (fuzz/invariants.py): no exception escapes, every span is inside the
text, fix(fix(x)) == fix(x), safe fixes never remove a paragraph that had no
finding, the file outside the edits is byte-identical, and line endings, BOM
and encoding survive.

The fuzzer itself (``python fuzz/fuzz_artlint.py``, see README) needs
atheris; this file does not: it imports the target's check function. Every
input the fuzzer found breaking an invariant is a regression test below.
"""

from __future__ import annotations

import codecs
import sys

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from artlint.document import Document
from artlint.engine import lint_document
from artlint.files import decode
from artlint.fixer import fix_source

from conftest import ROOT
from test_properties import SCALE, md_article, plain_article, stray_cr_doc, with_endings

sys.path.insert(0, str(ROOT / "fuzz"))

import fuzz_artlint  # (from fuzz/, put on sys.path above)
import invariants

PROFILE = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

BOMS = {
    "utf-8": [b"", codecs.BOM_UTF8],
    "utf-16-le": [codecs.BOM_UTF16_LE],
    "utf-16-be": [codecs.BOM_UTF16_BE],
    "utf-32-le": [codecs.BOM_UTF32_LE],
}

# Lines a saved web page leaves behind (BP, HL), attributions and quotes (AT, QT).
LEFTOVERS = [
    "Read more", "Read more:", "Leave a Reply", "Leave a Reply Cancel reply", "Share this:", "Advertisement",
    "Related articles", "Subscribe to our newsletter", "We use cookies.", "\u00a9 2024 The Daily News",
    "By Jane Smith", "Photo: Reuters", "Updated 12:00", "Click here to read more", "Comments (3)",
    "\u201cWe will act,\u201d she said.", "\"We will act,\" said Mr Smith.", "He said: \"No.",
    "\u2018Maybe,\u2019 he said.", "According to the mayor, \u201cthe plan works\u201d.",
]


@st.composite
def article_with_leftovers(draw):
    kind = draw(st.sampled_from(["a.txt", "a.md"]))
    body = draw(plain_article() if kind == "a.txt" else md_article())
    paras = body.split("\n\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(paras)))
        paras.insert(at, draw(st.sampled_from(LEFTOVERS)))
    return kind, "\n\n".join(paras)


structured = st.one_of(
    with_endings(plain_article(), ("lf", "crlf", "mixed", "stray")).map(lambda t: ("a.txt", t)),
    with_endings(md_article(), ("lf", "crlf", "mixed", "stray")).map(lambda t: ("a.md", t)),
    article_with_leftovers(),
    stray_cr_doc,
)


@st.composite
def encoded_article(draw):
    """(path, bytes): a structured article, its line breaks LF, CRLF, mixed,
    CR CR LF or CR only, saved as UTF-8 (with or without a BOM), UTF-16 or
    UTF-32."""
    path, text = draw(structured)
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\r\n", "\n").replace("\n", "\r")  # old Mac line ends
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16-le", "utf-16-be", "utf-32-le"]))
    bom = draw(st.sampled_from(BOMS[encoding]))
    return path, bom + text.encode(encoding)


raw_bytes = st.tuples(
    st.sampled_from(["a.txt", "a.md"]),
    st.builds(lambda bom, body: bom + body,
              st.sampled_from([b"", b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]),
              st.binary(max_size=200)),
)

text_any = st.tuples(
    st.sampled_from(["a.txt", "a.md"]),
    st.lists(st.one_of(st.text(max_size=12), st.sampled_from([
        "\r", "\r\n", "\n\n", "---\n", "# ", "> ", "```", "~~~", "<!--", "-->", "<!-- artlint-disable -->", "<",
        "\u201c", "\u2019", "\"", "Read more", "\ufeff", "\u200b", "\u00a0", "  ", "the the", " ."])),
             max_size=12).map("".join),
)


@hsettings(max_examples=600 * SCALE, **PROFILE)
@given(encoded_article(), st.booleans())
def test_pipeline_invariants_on_articles(case, unsafe):
    path, data = case
    invariants.check_pipeline(data, path, unsafe)


@hsettings(max_examples=500 * SCALE, **PROFILE)
@given(raw_bytes, st.booleans())
def test_pipeline_invariants_on_bytes(case, unsafe):
    path, data = case
    invariants.check_pipeline(data, path, unsafe)


@hsettings(max_examples=500 * SCALE, **PROFILE)
@given(text_any, st.sampled_from(["utf-8", "utf-16-le"]), st.booleans())
def test_pipeline_invariants_on_text(case, encoding, unsafe):
    path, text = case
    bom = BOMS[encoding][-1] if encoding != "utf-8" or text.startswith("\ufeff") else b""
    invariants.check_pipeline(bom + text.encode(encoding), path, unsafe)


def test_fuzz_seeds_hold_the_invariants():
    """The fuzz target's entry on every seed it generates from the fixtures."""
    seeds = fuzz_artlint.seed_inputs()
    assert len(seeds) > 100
    for data in seeds:
        fuzz_artlint.check_input(data)
    # the header's bits: Markdown, unsafe fixes too, bytes not UTF-8 repaired
    for head in range(8):
        fuzz_artlint.check_input(bytes([head]) + b"The \xff council  met .\r\n\r\nRead more\r\n")
    fuzz_artlint.check_input(b"")


def test_invariant_checker_catches_a_broken_fixer(monkeypatch):
    """The checker is not vacuous: a fixer that turns the file's CRLF into
    LF outside its edits is caught."""
    from artlint import fixer
    from artlint.files import Source

    real = fixer.fix_source

    def lf_fixer(source, lint, level=fixer.Applicability.SAFE):
        res = real(source, lint, level)
        res.source = Source(res.source.raw.replace("\r\n", "\n"), res.source.encoding, res.source.bom)
        return res

    monkeypatch.setattr(invariants, "fix_source", lf_fixer)
    with pytest.raises(invariants.InvariantError, match="byte-identical|line-endings"):
        invariants.check_pipeline(b"The council  met.\r\nIt voted.\r\n", "a.txt")


# ------------------------------- found by the fuzzer and by this file
# Each input is the minimised one, as fuzz/fuzz_artlint.py takes it: a
# header byte (bit 0: Markdown, bit 1: unsafe fixes too, bit 2: bytes not
# UTF-8 repaired), then the file's bytes.


def test_invisible_character_before_the_second_paragraph_keeps_no_headline():
    """Found by this file (by a first version of the paragraph check, which
    judged the last pass against the first): a BOM starting the second
    paragraph hid its lower case, so 'Read more' was taken for the headline (BP001 skips headlines);
    only once WS005 had deleted the BOM was it a paragraph, deleted by BP001
    in the next fix pass. Document now judges the next paragraph past
    invisible characters: both spellings give the same findings."""
    fuzz_artlint.check_input(b"\x00Read more\n\n\xef\xbb\xbfthe.")
    settings = invariants.fuzz_settings()
    with_bom = lint_document(Document("a.txt", "Read more\n\n\ufeffthe."), settings)
    without = lint_document(Document("a.txt", "Read more\n\nthe."), settings)
    assert [d.code for d in with_bom] == ["BP001", "WS005"]
    assert [d.code for d in without] == ["BP001"]


def test_fix_never_makes_a_file_without_bom_start_with_one():
    """Found while writing the checks: deleting the boilerplate first lines
    left a stray U+FEFF of a code line (no fix touches code) at the start of
    a UTF-8 file without a BOM; saved, it became the file's BOM and read back
    without the character. The fixer now leaves such a fix out (the finding
    stays reported); with a BOM, or in other places, the fix applies."""
    fuzz_artlint.check_input(b"\x00Read more\n\n\xef\xbb\xbfx = {1};\n")
    settings = invariants.fuzz_settings()

    def lint(text):
        return lint_document(Document("a.txt", text), settings)

    kept = fix_source(decode(b"Read more\n\n\xef\xbb\xbfx = {1};\n"), lint)
    assert kept.source.raw == "Read more\n\n\ufeffx = {1};\n"
    assert [d.code for d in kept.diagnostics] == ["BP001"]
    with_bom = fix_source(decode(b"\xef\xbb\xbfRead more\n\n\xef\xbb\xbfx = {1};\n"), lint)
    assert with_bom.source.encode() == b"\xef\xbb\xbf\xef\xbb\xbfx = {1};\n"
    later = fix_source(decode(b"The vote.\n\nRead more\n\n\xef\xbb\xbfx = {1};\n"), lint)
    assert later.source.raw.endswith("vote\n\n\ufeffx = {1};\n") and "Read" not in later.source.raw


# Found by this file: a UTF-16-LE file whose text starts with U+FEFF and
# U+0000; WS005 deleted the U+FEFF, and the BOM with the NUL after it, saved,
# read back as UTF-32-LE's BOM (and an empty file). The fixer now checks that
# the fixed text reads back as itself (files.Source.reads_back): the fixes at
# its start are left out, and if that is not enough fixing stops there.
def test_fix_never_makes_a_utf16_file_read_as_utf32():
    fuzz_artlint.check_input(b"\x00\xff\xfe\xff\xfe\x00\x000\x00")
    fuzz_artlint.check_input(b"\x00\xff\xfe\xff\xfe\x00\x00")
    source = decode(b"\xff\xfe\xff\xfe\x00\x000\x00")
    assert not source.reads_back("\x000") and source.reads_back("\ufeff\x000")


def test_fix_never_brings_a_nul_byte_where_decode_takes_the_file_for_binary():
    """Fixes deleting bytes before a NUL (past the first 8 KB, so the file
    was read) would move it into them: read back, the file is 'binary'."""
    text = "The council  met on Monday.\n\n" * 292 + "\x00 end.\n"
    data = text.encode()
    assert 8192 < data.index(b"\x00") < 8192 + 292
    invariants.check_pipeline(data, "a.txt")
    settings = invariants.fuzz_settings()
    result = fix_source(decode(data), lambda t: lint_document(Document("a.txt", t), settings))
    assert not result.changed and "WS003" in {d.code for d in result.diagnostics}


# Found by this file: BP001 deleting the first lines of a Markdown article
# left a '---' line at the top, which opened front matter and hid what
# followed as YAML ('Share this:', then a lead paragraph between two rules).
# delete_lines now keeps a line break before it.
def test_deleting_the_first_lines_never_opens_front_matter():
    fuzz_artlint.check_input(b"\x01Share this:\n\n---\n\nThe council met on Monday.\n\n---\n")
    fuzz_artlint.check_input(b"\x01Read more\n\n---\ntitle: X\n---\nMon\xe2\x80\x8bday.\n")
    settings = invariants.fuzz_settings()
    fixed = fix_source(decode(b"Share this:\n\n---\n\nThe council met on Monday.\n\n---\n"),
                       lambda t: lint_document(Document("a.md", t), settings)).source.raw
    assert fixed == "\n---\n\nThe council met on Monday.\n\n---\n"


# Found by the fuzzer: markdown-it reads NUL as U+FFFD, and Document did not
# find a paragraph's content line holding one in the source; the paragraph
# was dropped, the lines after it too ('T' below became non-prose once XX002
# had deleted the comment between them). A file with a BOM may hold NULs.
def test_nul_in_a_markdown_paragraph_keeps_the_paragraph():
    fuzz_artlint.check_input(b"\x01\xef\xbb\xbf\x00\n<!--artlint-disable-next-line-->\nT")
    doc = Document("a.md", "\x00\nThe council met.")
    assert [doc.paragraph_text(p) for p in doc.paragraphs] == ["\x00\nThe council met."]
    assert doc.prose == doc.text


# Found by the fuzzer: QT005 took each straight mark of a run for a closing
# one, so its fix moved a comma one mark to the left per pass and the fixer
# never converged (XX003). A closing mark now follows text, not a mark.
def test_comma_after_a_run_of_quote_marks_converges():
    fuzz_artlint.check_input(b'\x00"""""""""""",')
    settings = invariants.fuzz_settings()
    assert not [d for d in lint_document(Document("a.txt", '"""""""""""",'), settings) if d.code == "QT005"]
    (d,) = [d for d in lint_document(Document("a.txt", 'They called it "bold", he said.'), settings)
            if d.code == "QT005"]
    assert d.fix.edits[0].text == ',"'


# Found by the fuzzer: an invisible character keeping Markdown apart, deleted
# by WS005's safe fix, made markup of what was around it: '<' and '!--' an
# HTML comment, '`' and '``' (or '~' and '~~') a code fence, and each hid
# the rest of the article, paragraphs without a finding included. WS005 now
# only suggests deleting it there (a display-only fix).
def test_invisible_character_inside_an_html_comment_opener_is_not_deleted():
    fuzz_artlint.check_input(b"\x01<\xe2\x80\x8b!--\n\no")


def test_invisible_character_inside_an_html_declaration_is_not_deleted():
    fuzz_artlint.check_input(b"\x01<\xe2\x80\x8b!i\n>q")


def test_invisible_character_inside_a_code_fence_opener_is_not_deleted():
    fuzz_artlint.check_input(b"\x01`\xe2\x80\x8b``\n\nThe council met.\n")
    fuzz_artlint.check_input(b"\x01Intro.\n\n~\xe2\x80\x8b~~\n\nThe council met.\n")
    settings = invariants.fuzz_settings()
    (d,) = lint_document(Document("a.md", "`\u200b``\n\nThe council met.\n"), settings)
    assert d.code == "WS005" and d.fix.applicability.value == "display-only"
    (d,) = lint_document(Document("a.txt", "`\u200b``\n\nThe council met.\n"), settings)
    assert d.code == "WS005" and d.fix.applicability.value == "safe"  # plain text has no markup


# Found by the fuzzer and by this file: XX002 deleted an unused suppression
# comment by itself, and what was left became markup hiding the rest of the
# article: the '<!--' of a comment opened before it, on its line or an
# earlier one (its '-->' closed both), or a '```' after it. A directive must
# now be a whole comment, and one sharing its line is removed by an unsafe
# fix only.
@pytest.mark.parametrize("text", [
    "Intro.\n\n<!-- <!-- artlint-disable-next-line WS003 -->\nThe council met.\n\nIt  voted.\n",
    "<!--\n<!-- artlint-disable -->\nThe council met.\n",
    "<!-- artlint-disable -->```\nThe council met.\n",
])
def test_unused_suppression_fix_keeps_the_article(text):
    settings = invariants.fuzz_settings()

    def lint(text):
        return lint_document(Document("a.md", text), settings)

    fixed = fix_source(decode(text.encode()), lint).source.raw
    assert "The council met." in Document("a.md", fixed).prose
