"""HL: the headline — repeated in the body, repeated across articles, ended
with a full stop, or shouted in capitals."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from artlint.data import load_data
from artlint.document import Document, straight_quotes
from artlint.edits import delete_lines
from artlint.recache import compile as re_compile
from artlint.registry import rule
from artlint.types import Edit, Fix, Span, Violation


class HeadlineOptions(NamedTuple):
    #: How alike (0-100, rapidfuzz ratio of the normalised texts) a body
    #: paragraph must be to count as the headline repeated.
    similarity: int = 92
    #: A repeat after the first prose paragraph is a section heading, not a
    #: duplicate, when the article has at least this many other section
    #: headings (0: report every repeat).
    section_headings: int = 3


_NOT_WORD_RE = re_compile(r"[^\w\s]+")
_NUMBER_RE = re_compile(r"\d+")


def normalise_headline(text: str) -> str:
    """Lower case, no punctuation, single spaces: the key that HL001 compares
    and HL002 groups articles by."""
    s = straight_quotes(text).lower()
    s = _NOT_WORD_RE.sub(" ", s.replace("'", ""))
    return " ".join(s.split())


@rule(
    code="HL001",
    name="headline-repeated",
    summary="The headline repeated in the body",
    severity="error",
    fixable="always",
    options=HeadlineOptions,
)
def headline_repeated(doc: Document, opts: HeadlineOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a paragraph or heading in the body that repeats the headline:
    word for word, or nearly (other capitals or punctuation, a word changed
    or dropped). The headline is the front-matter `title` or the leading
    `# H1` in Markdown, and the first line of a plain-text article. A lede
    that shares many words with the headline is not a repeat: the paragraph
    must be about as long as the headline and nearly the same text.

    Articles organised in sections often open their main section with the
    headline as its heading, after an introduction ("25 Best Hiking Boots",
    intro, "25 Best Hiking Boots", "1. …"). A repeat after the body has
    begun, in an article with at least `section-headings` other section
    headings, is taken for such a heading and not reported. A repeat before
    any paragraph of prose is always reported.

    ## Why is this bad?
    A headline pasted into the body is a scraping or editing slip; readers
    see it twice, once in the middle of the story.

    ## Example
    ```text
    Council Votes to Close the Library

    The council met on Monday.

    Council Votes to Close the Library

    The vote was close.
    ```

    ## Use instead
    ```text
    Council Votes to Close the Library

    The council met on Monday.

    The vote was close.
    ```

    ## Fix safety
    Safe: the repeated paragraph is deleted, and one blank line is kept
    between the paragraphs around it.
    """
    headline = doc.headline
    if headline is None:
        return
    key = normalise_headline(headline.text)
    words = len(key.split())
    if words < 3:
        return  # "Updates", "Live": too short to tell a repeat from a word
    opts = opts or HeadlineOptions()
    threshold = opts.similarity
    key_letters = Counter(key)
    key_numbers = _NUMBER_RE.findall(key)
    ratio = None
    sectioned: bool | None = None
    size = len(headline.text)
    # rapidfuzz's ratio (200 * LCS / (len + len)) reaches the threshold only
    # if the shorter text is at least threshold / (200 - threshold) of the
    # longer; normalising never lengthens a paragraph, so one shorter than
    # that share of the key cannot be a repeat.
    shortest = max(size - size // 3 - 8, int(len(key) * min(threshold, 100) / (200 - min(threshold, 100))))
    longest = size + size // 3 + 8
    head_start = headline.span.start
    for p in doc.paragraphs:
        if p.kind not in ("paragraph", "heading") or p.span.start == head_start and p.span == headline.span:
            continue
        if not shortest <= p.span.end - p.span.start <= longest:
            continue  # far longer or shorter: not a repeat (cheap test first)
        other = normalise_headline(doc.paragraph_text(p))
        if other != key:
            # Near-verbatim only for headlines long enough that one word
            # changed leaves them recognisable, about as many words, and
            # never with other numbers ("Top 5 …" is not "Top 10 …").
            if words < 6 or not other or abs(other.count(" ") + 1 - words) > max(1, words // 5):
                continue
            if _NUMBER_RE.findall(other) != key_numbers:
                continue
            # rapidfuzz's ratio is 200 * LCS / (len + len), and the longest
            # common subsequence is at most the letters the two share: a
            # bound that rules most paragraphs out before rapidfuzz is needed.
            shared = sum((Counter(other) & key_letters).values())
            if 200 * shared < threshold * (len(other) + len(key)):
                continue
            if ratio is None:
                from rapidfuzz.fuzz import ratio  # only for near-misses
            if ratio(other, key) < threshold:
                continue
        if opts.section_headings and p.span.start > _first_prose(doc):
            if sectioned is None:
                sectioned = _section_headings(doc, headline.span, opts.section_headings + 1) > opts.section_headings
            if sectioned:
                continue  # the headline heading the main section
        line, _ = doc.position(p.span.start)
        end_line, _ = doc.position(p.span.end)
        exact = "word for word" if other == key else "nearly word for word"
        yield Violation(
            p.span,
            f"The headline is repeated here ({exact})",
            Fix.safe("Delete the repeated headline", delete_lines(doc, line, end_line)),
        )


_HEADING_END_MARKS = frozenset(".!?:;,\"”’')]")


def _ends_like_sentence(body: str) -> bool:
    """Whether the run of non-word characters that ends ``body`` holds a
    mark that ends a sentence, a quotation or a label (a walk back from the
    end: a pattern searched for would try every mark of a long run)."""
    i = len(body)
    while i > 0 and not (body[i - 1].isalnum() or body[i - 1] == "_"):
        i -= 1
    return any(c in _HEADING_END_MARKS for c in body[i:])


_BULLET_RE = re_compile(r"[-*+•–—]\s")


def _first_prose(doc: Document) -> int:
    """Where the body's first paragraph of prose (more than twelve words)
    starts; the end of the text when it has none. Looked for once."""
    at = doc.cache.get("hl-first-prose")
    if at is None:
        at = next((p.span.start for p in doc.paragraphs
                   if p.kind == "paragraph" and len(doc.paragraph_text(p).split()) > 12), len(doc.text))
        doc.cache["hl-first-prose"] = at
    return at


def _section_headings(doc: Document, headline: Span, enough: int) -> int:
    """How many section headings the body has, counting up to `enough`: a
    Markdown heading, or a one-line paragraph of one to twelve words that
    does not end like a sentence, a quotation or a label and is not a bullet
    or a line of page furniture that BP001 knows ("Share this article").
    Each distinct text counts once (a repeat of the headline counts as
    one)."""
    from artlint.rules.bp import is_boilerplate_line  # only for mid-body repeats

    seen: set[str] = set()
    for p in doc.paragraphs:
        if p.span == headline or p.kind not in ("heading", "paragraph"):
            continue
        body = doc.paragraph_text(p).strip()
        if p.kind == "paragraph":
            if "\n" in body or not 1 <= len(body.split()) <= 12:
                continue
            if _ends_like_sentence(body) or _BULLET_RE.match(body):
                continue
            if is_boilerplate_line(doc, p.span.start, p.span.end):
                continue
        seen.add(normalise_headline(body))
        if len(seen) >= enough:
            break
    return len(seen)


@cache
def _headline_abbreviations() -> re.Pattern[str]:
    words = load_data("hl")["abbreviations"]
    return re_compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, words)) + r"|(?:[A-Za-z]\.){2,})$")


@rule(
    code="HL003",
    name="headline-full-stop",
    summary="A headline that ends with a full stop",
    severity="info",
    fixable="sometimes",
    options=HeadlineOptions,
)
def headline_full_stop(doc: Document, opts: HeadlineOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a headline that ends with a full stop. An abbreviation ("U.S.",
    "Inc.") or an ellipsis at the end is left alone.

    ## Why is this bad?
    Headlines take no full stop in news style; one at the end usually means
    a sentence was promoted to a headline, or the headline was pasted from
    the body.

    ## Example
    ```text
    Council Votes to Close the Library.

    The council met on Monday.
    ```

    ## Use instead
    ```text
    Council Votes to Close the Library

    The council met on Monday.
    ```

    ## Fix safety
    Safe: the full stop is removed. A title in front matter is reported
    without a fix (artlint does not edit front matter).
    """
    headline = doc.headline
    if headline is None:
        return
    text = headline.text.rstrip()
    if not text.endswith(".") or text.endswith("..") or _headline_abbreviations().search(text):
        return
    at = headline.span.start + len(text) - 1
    yield Violation(
        Span(at, at + 1),
        "The headline ends with a full stop",
        Fix.safe("Remove the full stop", Edit.delete(at, at + 1)),
    )


_LETTERS_RE = re_compile(r"[^\W\d_]")


@rule(
    code="HL004",
    name="headline-all-caps",
    summary="A headline in capitals",
    severity="info",
    fixable="never",
    options=HeadlineOptions,
)
def headline_all_caps(doc: Document, opts: HeadlineOptions) -> Iterator[Violation]:
    """
    ## What it does
    Finds a headline of three or more words written entirely in capital
    letters.

    ## Why is this bad?
    Capitals read as shouting, are harder to read, and usually come from a
    page's styling (CSS `text-transform`) rather than from the writer.

    ## Example
    ```text
    COUNCIL VOTES TO CLOSE THE LIBRARY

    The council met on Monday.
    ```

    ## Use instead
    ```text
    Council Votes to Close the Library

    The council met on Monday.
    ```

    ## Fix safety
    No fix: the right capitals of names and acronyms need a person.
    """
    headline = doc.headline
    if headline is None:
        return
    text = headline.text
    if text.upper() != text:
        return  # a lower-case letter: most headlines (the cheap test first)
    # Only letters that have a case count (Japanese or Arabic have none).
    cased = [c for c in _LETTERS_RE.findall(text) if c.lower() != c.upper()]
    if len(text.split()) < 3 or len(cased) < 8 or not all(c.isupper() for c in cased):
        return
    yield Violation(headline.span, "The headline is in capitals")


def headline_key(doc: Document) -> tuple[str, Span] | None:
    """The HL002 key of an article's headline, and where to report it."""
    headline = doc.headline
    if headline is None:
        return None
    key = normalise_headline(headline.text)
    return (key, headline.span) if len(key.split()) >= 3 else None


# HL002 is checked across the files of a run: the engine groups files by
# headline_key and reports every group of two or more.
@rule(
    code="HL002",
    name="duplicate-headline",
    summary="The same headline on two articles",
    severity="warning",
    fixable="never",
    cross_file=headline_key,
    cross_file_message="The same headline as {others}",
)
def duplicate_headline(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds articles in one run that have the same headline (compared after
    case and punctuation are set aside), and reports it on each, naming the
    other files. Headlines are grouped by a key, so thousands of files cost
    no more than reading them.

    ## Why is this bad?
    Two articles with one headline are usually one article saved twice, or a
    headline pasted onto the wrong story.

    ## Example
    ```text
    Council Votes to Close the Library
    ```

    ## Use instead
    ```text
    Council Votes to Close the Eastgate Library
    ```

    ## Fix safety
    No fix: which article is right needs a person.
    """
    return iter(())
