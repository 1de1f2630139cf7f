"""RD: readability — long sentences and paragraphs, and the article's
Flesch–Kincaid grade and Flesch reading ease (textstat's formulas, computed
offline by :mod:`artlint.readability`).

Every RD rule reads English prose only (``doc.language == "en"``), and only
body paragraphs: not the headline, headings, code, front matter, tables or
(for the paragraph and article rules) list items.  Sentences and paragraphs
are split once per document, the article's figures computed once per
document (``doc.cache``), syllables counted once per word per process.
None of them has a fix: shortening prose is the writer's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from artlint import readability
from artlint.data import load_data
from artlint.document import Document, Paragraph
from artlint.recache import compile as re_compile
from artlint.registry import rule
from artlint.types import Span, Violation


class ReadabilityOptions(NamedTuple):
    #: RD001: the most words a sentence may have.
    max_sentence_words: int = 40
    #: RD002: the most words a paragraph may have.
    max_paragraph_words: int = 120
    #: RD003: the most sentences a paragraph may have.
    max_paragraph_sentences: int = 8
    #: RD004: the highest Flesch–Kincaid grade an article may have.
    max_grade: float = 12.0
    #: RD005: the lowest Flesch reading ease an article may have.
    min_reading_ease: float = 30.0
    #: RD004, RD005: articles with fewer words in their body are not scored.
    min_article_words: int = 100


_DEFAULTS = ReadabilityOptions()
SENTENCE_KINDS = ("paragraph", "blockquote", "list-item")

# A sentence ends at . ! ? or … (closing quotes and brackets go with it, and
# reference marks like "[12]") before whitespace and a capital letter or
# digit (after opening quotes).
_END_RE = re_compile(r"[.!?…]+[\"'”’»)\]]*(?:\[\d{1,3}\])*(?=\s)")
# _END_RE is tried at the start of each run of marks only: searched for
# directly it starts again at every mark of a run ("!!!!…" ending in a
# letter), and a long run costs its square.
_MARKS_RE = re_compile(r"[.!?…]+")
_OPENERS = "\"'“‘«(["
_INITIALISM_RE = re_compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")  # U.S, a.m, Ph.D (less the last dot)
_WORD_RE = re_compile(r"[^\W\d_]+")


@cache
def _abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    data = load_data("rd")
    return frozenset(data["abbreviations"]), frozenset(data["sentence-starters"])


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Spans of the sentences of ``text[start:end]`` (one paragraph).

    Not split: after an abbreviation ("Mr.", "Gov.", "Jan."), an initial
    ("John F. Kennedy") or a dotted initialism ("U.S.", "a.m."), unless a
    common sentence opener follows ("… in the U.S. The talks …"); inside a
    number ("3.5"); before a lower-case word ("“Stop!” he said")."""
    end = len(text) if end is None else end
    abbreviations, starters = _abbreviations()
    out: list[Span] = []
    begin = start
    for run in _MARKS_RE.finditer(text, start, end):
        m = _END_RE.match(text, run.start(), end)
        if m is None:
            continue
        k = m.end()
        while k < end and text[k].isspace():
            k += 1
        q = k
        while q < end and text[q] in _OPENERS:
            q += 1
        if q >= end or not (text[q].isupper() or text[q].isdigit()):
            continue
        if m.group() == ".":
            i = m.start()
            while i > begin and not text[i - 1].isspace():
                i -= 1
            token = text[i : m.start()].lstrip(_OPENERS)
            if token in abbreviations or (len(token) == 1 and token.isupper()) or _INITIALISM_RE.fullmatch(token):
                word = _WORD_RE.match(text, q, end)
                if word is None or word.group() not in starters:
                    continue
        out.append(Span(begin, m.end()))
        begin = k
    while begin < end and text[begin].isspace():
        begin += 1
    stop = end
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    if stop > begin:
        out.append(Span(begin, stop))
    return out


def _sentences(doc: Document, p: Paragraph) -> list[tuple[Span, int]]:
    """The sentences of a paragraph with their word counts (textstat's
    words), sentences without a word left out; split once per document."""
    cached = doc.cache.setdefault("rd-sentences", {})
    found = cached.get(p.span)
    if found is None:
        prose = doc.prose
        found = cached[p.span] = []
        for span in split_sentences(prose, p.span.start, p.span.end):
            n = len(readability.words(prose[span.start : span.end]))
            if n:
                found.append((span, n))
    return found


def _english(doc: Document) -> bool:
    return doc.language == "en"


# ------------------------------------------------------------------ RD001
@rule(
    code="RD001",
    name="sentence-too-long",
    summary="A sentence longer than max-sentence-words (40)",
    severity="info",
    default=False,
    options=ReadabilityOptions,
)
def sentence_too_long(doc: Document, opts: ReadabilityOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a sentence of more than `max-sentence-words` words (40 by
    default; `[tool.artlint.rd]`) in the body of an English article, list
    items included. Words are counted as textstat counts them (numbers are
    words, punctuation is not). A full stop after an abbreviation ("Mr.",
    "Gov.", "Jan."), an initial or an initialism ("U.S.") does not end a
    sentence, nor one inside a number.

    Off by default: well-edited news has sentences this long (about half
    the articles of a corpus of edited articles have one); select `RD001`
    where the house style caps sentence length.

    ## Why is this bad?
    Readers lose the thread of a long sentence; news style guides ask for
    one idea a sentence, and long sentences are where agreement and
    attribution errors hide.

    ## Example
    ```text
    The council, which had met on Monday evening in the old library hall for the third time this month after residents complained that the earlier meetings had been held at hours when most of them were still at work, voted to close the library.
    ```

    ## Use instead
    ```text
    The council voted to close the library. It met on Monday evening in the old library hall, for the third time this month. Residents had complained that the earlier meetings were held while most of them were at work.
    ```

    ## Fix safety
    No fix: where to break a sentence is the writer's call.
    """
    if not _english(doc):
        return
    limit = (opts or _DEFAULTS).max_sentence_words
    prose = doc.prose
    for p in doc.paragraphs:
        # Whitespace-separated tokens are at least as many as words: most
        # paragraphs need no splitting at all.
        if p.kind not in SENTENCE_KINDS or len(prose[p.span.start : p.span.end].split()) <= limit:
            continue
        for span, n in _sentences(doc, p):
            if n > limit:
                yield Violation(span, f"A sentence of {n} words (the most is {limit})")


# ------------------------------------------------------------- RD002/003
@rule(
    code="RD002",
    name="paragraph-too-long",
    summary="A paragraph longer than max-paragraph-words (120)",
    severity="info",
    default=False,
    options=ReadabilityOptions,
)
def paragraph_too_long(doc: Document, opts: ReadabilityOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a body paragraph (not a heading, list item or table cell) of more
    than `max-paragraph-words` words (120 by default; `[tool.artlint.rd]`)
    in an English article.

    Off by default: in a corpus of edited articles, about one in five has
    a paragraph this long (features and analysis run long); select `RD002`
    where the house style keeps paragraphs short.

    ## Why is this bad?
    News paragraphs are short: a wall of text is hard to read on a phone,
    and a paragraph this long usually holds several ideas, or two
    paragraphs that lost the blank line between them.

    ## Example
    ```text
    The council voted on Monday to close the library on Elm Street at the end of the year, after a debate that ran for more than three hours and drew the largest crowd the chamber has seen in a decade. Residents spoke for and against the plan, and several read letters from neighbours who could not attend. The mayor said the building needed repairs the city could not pay for, and that a new branch would open in the school across the road within two years. Opponents said the school was too small, that the repairs had been put off for years, and that the vote had been rushed. The council will meet again next month to decide what to do with the building.
    ```

    ## Use instead
    ```text
    The council voted on Monday to close the library on Elm Street at the end of the year, after a debate that ran for more than three hours and drew the largest crowd the chamber has seen in a decade.

    Residents spoke for and against the plan, and several read letters from neighbours who could not attend. The mayor said the building needed repairs the city could not pay for, and that a new branch would open in the school across the road within two years.

    Opponents said the school was too small, that the repairs had been put off for years, and that the vote had been rushed. The council will meet again next month to decide what to do with the building.
    ```

    ## Fix safety
    No fix: where to break a paragraph is the writer's call.
    """
    if not _english(doc):
        return
    limit = (opts or _DEFAULTS).max_paragraph_words
    prose = doc.prose
    for p in readability.body_paragraphs(doc):
        text = prose[p.span.start : p.span.end]
        if len(text.split()) <= limit:
            continue  # tokens are at least as many as words
        n = len(readability.words(text))
        if n > limit:
            yield Violation(p.span, f"A paragraph of {n} words (the most is {limit})")


@rule(
    code="RD003",
    name="paragraph-too-many-sentences",
    summary="A paragraph with more sentences than max-paragraph-sentences (8)",
    severity="info",
    default=False,
    options=ReadabilityOptions,
)
def paragraph_too_many_sentences(doc: Document, opts: ReadabilityOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a body paragraph (not a heading, list item or table cell) of more
    than `max-paragraph-sentences` sentences (8 by default;
    `[tool.artlint.rd]`) in an English article. Sentences are split as
    RD001 splits them.

    Off by default: in a corpus of edited articles, about one in twelve has
    such a paragraph; select `RD003` where the house style keeps paragraphs
    short.

    ## Why is this bad?
    A news paragraph holds one idea in a few sentences; nine or more in
    one block is a wall of text, or paragraphs run together when the
    article was pasted or scraped.

    ## Example
    ```text
    The council met on Monday. It voted to close the library. The vote was five to two. Residents protested. Some wept. The mayor spoke first. She said the roof leaks. Repairs would cost millions. A new branch will open next year.
    ```

    ## Use instead
    ```text
    The council met on Monday. It voted to close the library. The vote was five to two.

    Residents protested. Some wept.

    The mayor spoke first. She said the roof leaks. Repairs would cost millions. A new branch will open next year.
    ```

    ## Fix safety
    No fix: where to break a paragraph is the writer's call.
    """
    if not _english(doc):
        return
    limit = (opts or _DEFAULTS).max_paragraph_sentences
    prose = doc.prose
    for p in doc.paragraphs:
        if p.kind not in readability.BODY_KINDS:
            continue
        a, b = p.span.start, p.span.end
        # A paragraph has at most one sentence more than it has . ! ? …
        if sum(prose.count(c, a, b) for c in ".!?…") < limit:
            continue
        found = _sentences(doc, p)
        if len(found) > limit:
            yield Violation(p.span, f"A paragraph of {len(found)} sentences (the most is {limit})")


# ------------------------------------------------------------- RD004/005
def _article_measures(doc: Document, opts: ReadabilityOptions) -> readability.Measures | None:
    """The article's figures (computed once per document), or None when
    the article is not English or too short to score."""
    if not _english(doc):
        return None
    m = doc.cache.get("rd-measures")
    if m is None:
        m = doc.cache["rd-measures"] = readability.measure(readability.body_text(doc), fog=False)
    return m if m.words >= opts.min_article_words else None


def _article_span(doc: Document) -> Span:
    """Where an article-level finding is reported: the headline, or line 1."""
    return doc.headline.span if doc.headline is not None else doc.line_span(1)


def _figures(m: readability.Measures) -> str:
    return (f"{m.words} words, {m.sentences} sentences, {m.words_per_sentence:.1f} words a sentence, "
            f"{m.syllables_per_word:.2f} syllables a word")


@rule(
    code="RD004",
    name="grade-level-too-high",
    summary="The article's Flesch–Kincaid grade is above max-grade (12)",
    severity="info",
    default=False,
    options=ReadabilityOptions,
)
def grade_level_too_high(doc: Document, opts: ReadabilityOptions) -> Iterator[Violation]:
    """
    ## What it does
    Scores the body of an English article of at least `min-article-words`
    words (100 by default) with the Flesch–Kincaid grade level, as textstat
    computes it (0.39 × words a sentence + 11.8 × syllables a word − 15.59),
    and reports a grade above `max-grade` (12 by default;
    `[tool.artlint.rd]`) once, at the headline (at line 1 when there is
    none), with the figures in the message.

    Off by default: newsrooms disagree on the target (many aim at grade 8
    to 10, others write for specialists), and about a third of a corpus of
    edited articles scores above 12.

    ## Why is this bad?
    The grade is the years of schooling a reader needs to follow the text
    easily. A story written above its readers' level loses them; long
    sentences and long words raise the grade.

    ## Example
    ```text
    Council Closes Library

    The municipal council's decision to close the historic Elm Street library, announced on Monday after months of deliberation about the building's deteriorating condition and the city's constrained budget, provoked considerable opposition from residents, educational organisations and neighbourhood associations. Administration officials emphasised that a comprehensive renovation would require expenditure substantially exceeding the available appropriations, particularly considering simultaneous obligations regarding transportation infrastructure. Opponents characterised the decision as fundamentally incompatible with the municipality's declared commitment to literacy and accessible public institutions, and announced their intention to organise demonstrations and petitions before the forthcoming budget consultation. The council is expected to reconsider the proposal in September.
    ```

    ## Use instead
    ```text
    Council Closes Library

    The city will close the old library on Elm Street. The council made the choice last week after a long talk about the roof, the walls and the cost. Many people in the town are not happy. Some of them came to the meeting to say so. The mayor said the repairs would cost far more than the city has. She said the money is also needed for roads and buses this year. People who want to keep the library open say it is a place where kids learn to read. They plan to march, to sign a letter and to come back with a plan of their own before the next budget talks.
    ```

    ## Fix safety
    No fix: shorter sentences and plainer words are the writer's job.
    """
    opts = opts or _DEFAULTS
    m = _article_measures(doc, opts)
    if m is None:
        return
    grade = round(m.flesch_kincaid_grade, 1)
    if grade > opts.max_grade:
        yield Violation(
            _article_span(doc),
            f"Flesch–Kincaid grade {grade:.1f} is above the target {opts.max_grade:g} ({_figures(m)})",
        )


@rule(
    code="RD005",
    name="reading-ease-too-low",
    summary="The article's Flesch reading ease is below min-reading-ease (30)",
    severity="info",
    default=False,
    options=ReadabilityOptions,
)
def reading_ease_too_low(doc: Document, opts: ReadabilityOptions) -> Iterator[Violation]:
    """
    ## What it does
    Scores the body of an English article of at least `min-article-words`
    words (100 by default) with the Flesch reading ease, as textstat
    computes it (206.835 − 1.015 × words a sentence − 84.6 × syllables a
    word; higher is easier), and reports a score below `min-reading-ease`
    (30 by default, "very difficult"; `[tool.artlint.rd]`) once, at the
    headline (at line 1 when there is none), with the figures in the
    message.

    Off by default: newsrooms disagree on the target (general news usually
    scores 40 to 60, business and science copy lower); about one article in
    eight of a corpus of edited articles scores below 30.

    ## Why is this bad?
    A score below 30 is the band of academic papers: most readers of a
    news site give up on text this dense.

    ## Example
    ```text
    Council Closes Library

    The municipal council's decision to close the historic Elm Street library, announced on Monday after months of deliberation about the building's deteriorating condition and the city's constrained budget, provoked considerable opposition from residents, educational organisations and neighbourhood associations. Administration officials emphasised that a comprehensive renovation would require expenditure substantially exceeding the available appropriations, particularly considering simultaneous obligations regarding transportation infrastructure. Opponents characterised the decision as fundamentally incompatible with the municipality's declared commitment to literacy and accessible public institutions, and announced their intention to organise demonstrations and petitions before the forthcoming budget consultation. The council is expected to reconsider the proposal in September.
    ```

    ## Use instead
    ```text
    Council Closes Library

    The city will close the old library on Elm Street. The council made the choice last week after a long talk about the roof, the walls and the cost. Many people in the town are not happy. Some of them came to the meeting to say so. The mayor said the repairs would cost far more than the city has. She said the money is also needed for roads and buses this year. People who want to keep the library open say it is a place where kids learn to read. They plan to march, to sign a letter and to come back with a plan of their own before the next budget talks.
    ```

    ## Fix safety
    No fix: shorter sentences and plainer words are the writer's job.
    """
    opts = opts or _DEFAULTS
    m = _article_measures(doc, opts)
    if m is None:
        return
    ease = round(m.flesch_reading_ease, 1)
    if ease < opts.min_reading_ease:
        yield Violation(
            _article_span(doc),
            f"Flesch reading ease {ease:.1f} is below the target {opts.min_reading_ease:g} ({_figures(m)})",
        )
