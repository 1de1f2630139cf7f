"""AT: attribution and names.

Two rules so far: a name left dangling after an attributed quotation, and
one person's name spelled two ways. Both are quiet on real, edited
articles (AT001 reports nothing on the project's 1,097-article measurement
corpus, AT002 six findings, five of them real inconsistencies).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from artlint.data import load_data
from artlint.document import Document
from artlint.recache import compile as re_compile
from artlint.registry import rule
from artlint.types import Edit, Fix, Span, Violation

_NAME = r"[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?"


@cache
def _verbs() -> str:
    return "|".join(sorted(load_data("at")["speech-verbs"], key=len, reverse=True))


@cache
def _dangling_re() -> re.Pattern[str]:
    # A quotation that ended as a sentence (. ! ? inside the closing mark),
    # then only a name, maybe with a speech verb, to the paragraph's end.
    return re_compile(
        r"(?<=[.!?])(?P<close>[”\"])(?P<frag>[ \t]+(?P<name>" + _NAME + r"(?: " + _NAME + r"){0,2})"
        r"(?: (?:" + _verbs() + r"))?\.)[ \t]*$",
        re.M,
    )


@cache
def _attribution_re() -> re.Pattern[str]:
    verbs = _verbs()
    return re_compile(
        r"(?:\b(?:according to|said|told)\s+(?P<a>" + _NAME + r"(?: " + _NAME + r"){0,2})"
        # "Lavrov, the foreign minister, said" and "the minister, Sergei Lavrov, said"
        r"|(?P<b>" + _NAME + r"(?: " + _NAME + r"){0,2})(?:,[^,”\"]{1,60},|,)?\s+(?:" + verbs + r")\b)"
    )


@rule(
    code="AT001",
    name="dangling-attribution",
    summary="A name left dangling after a quotation that is already attributed",
    severity="error",
    fixable="always",
)
def dangling_attribution(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds a bare name, or a name and a speech verb, standing after a
    quotation that already ended with its own full stop and that the
    paragraph already attributed: `…instructors.” Lavrov.` after
    "according to Lavrov", or `…after that.” Blinken added.` after
    "Blinken said".

    ## Why is this bad?
    The fragment is left over from an edit or a spinning tool; the quote is
    attributed twice and the paragraph ends in a broken sentence.

    ## Example
    ```text
    Russia, according to Lavrov, has concerns of its own, “about concrete realities, not threats.” Lavrov.
    ```

    ## Use instead
    ```text
    Russia, according to Lavrov, has concerns of its own, “about concrete realities, not threats.”
    ```

    ## Fix safety
    Unsafe: the fragment is deleted; a person should check that nothing
    else was meant.
    """
    prose = doc.prose
    attribution = _attribution_re()
    # The names attributed in the paragraph before the closing mark, read
    # on from the fragment before (a paragraph of many lines can end each
    # line with one): the closing mark ” or " ends an attribution just as
    # the end of the text does, so reading on from it finds what reading
    # the paragraph up to each closing mark would, once.
    named: set[str] = set()
    read_to = 0
    for m in _dangling_re().finditer(prose):
        if not doc.is_prose(m.start("frag"), m.end("frag")):
            continue
        close = m.start("close")
        new_paragraph = prose.rfind("\n\n", max(0, read_to - 1), close)
        if new_paragraph != -1 or not read_to:
            named, read_to = set(), new_paragraph + 1
        for a in attribution.finditer(prose, read_to, close):
            named.update((a.group("a") or a.group("b")).split())
        read_to = close
        name = m.group("name")
        surname = name.split()[-1]
        if surname not in named:
            continue  # the fragment is the quote's only attribution
        start, end = m.start("frag"), m.end("frag")
        yield Violation(
            Span(start + 1, end),
            f"'{m.group('frag').strip()}' dangles after a quotation already attributed to {surname}",
            Fix.unsafe("Delete the fragment", Edit.delete(start, end)),
        )


@cache
def _person_re() -> re.Pattern[str]:
    # A run of two to five capitalised words; its last two are read as
    # given and family name ("Russian Foreign Minister Sergey Lavrov"). Not
    # before a possessive or a plural-looking continuation. The pattern
    # starts with the capital, so the search skips everything else fast.
    return re_compile(_NAME + r"(?: " + _NAME + r"){1,4}(?![\w'’-])")


class _Person(NamedTuple):
    start: int  # where the run of capitalised words starts
    given: str
    given_start: int
    family: str
    family_start: int


def _people(prose: str, start: int = 0, end: int | None = None) -> Iterator[_Person]:
    for m in _person_re().finditer(prose, start, len(prose) if end is None else end):
        run = m.group()
        space = run.rfind(" ")
        before = run.rfind(" ", 0, space)
        at = m.start()
        yield _Person(at, run[before + 1 : space], at + before + 1, run[space + 1 :], at + space + 1)


def _stands_alone(prose: str, family: str) -> bool:
    """News style names a person in full once, then by family name alone:
    that is the evidence that a capitalised pair is a person."""
    for m in re.finditer(r"(?<![\w'’-])" + re.escape(family) + r"(?![\w-])", prose):
        before = prose[max(0, m.start() - 30) : m.start()].rstrip()
        if before and before[-1] not in ".!?:;\"“”\n" and not re.search(r"[A-Z][\w'’-]*$", before):
            return True
    return False


def _plural(a: str, b: str) -> bool:
    return a + "s" == b or b + "s" == a


def _distance_one(a: str, b: str) -> bool:
    """True when one edit (insert, delete, substitute) turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])


class _NearNames:
    """Names in the order first seen, found again by one edit. A few are
    compared one by one; past _SCAN names, each is filed under itself and
    under each of its one-letter deletions, so that a name one edit away
    shares a key with it (the few that share one without being one edit
    away are told apart by _distance_one), and a lookup costs the name's
    length, not the number of names."""

    _SCAN = 16

    def __init__(self) -> None:
        self.order: dict[str, int] = {}
        self.keys: dict[str, list[str]] | None = None

    @staticmethod
    def _variants(name: str) -> Iterator[str]:
        yield name
        for i in range(len(name)):
            yield name[:i] + name[i + 1 :]

    def _file(self, name: str) -> None:
        for key in self._variants(name):
            self.keys.setdefault(key, []).append(name)  # type: ignore[union-attr]

    def add(self, name: str) -> None:
        if name in self.order:
            return
        self.order[name] = len(self.order)
        if self.keys is not None:
            self._file(name)
        elif len(self.order) > self._SCAN:
            self.keys = {}
            for known in self.order:
                self._file(known)

    def first_near(self, name: str) -> str | None:
        """The first name seen that is one edit from ``name``."""
        if self.keys is None:
            return next((n for n in self.order if _distance_one(n, name)), None)
        near = {n for key in self._variants(name) for n in self.keys.get(key, ()) if _distance_one(n, name)}
        return min(near, key=self.order.__getitem__) if near else None


@rule(
    code="AT002",
    name="name-spelling",
    summary="One person's name spelled two ways",
    severity="warning",
    fixable="always",
)
def name_spelling(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds a person written two ways in one article: the same family name
    with a given name one letter apart (Sergei / Sergey Lavrov), or the same
    given name with a family name one letter apart (Volodymyr Zelensky /
    Zelenskyy). The spelling used first is taken as the article's.

    ## Why is this bad?
    Readers take the two spellings for two people, and search finds only
    one of them. Transliterated names drift most. A pair of capitalised
    words counts as a person only when the family name also stands alone
    in the article, as news style names people after the first mention.

    ## Example
    ```text
    Foreign Minister Sergei Lavrov arrived in Geneva. Sergey Lavrov said little, and Lavrov left early.
    ```

    ## Use instead
    ```text
    Foreign Minister Sergei Lavrov arrived in Geneva. Sergei Lavrov said little, and Lavrov left early.
    ```

    ## Fix safety
    Unsafe: the later spelling becomes the first one; the first may be the
    wrong one.
    """
    prose = doc.prose
    skip = frozenset(load_data("at")["not-given-names"])
    seen: dict[str, _NearNames] = {}  # family -> its given names, in the order first seen
    given_seen: dict[str, _NearNames] = {}  # given name -> the family names seen with it
    alone: dict[str, bool] = {}

    def stands_alone(name: str) -> bool:  # looked up only for a candidate pair
        if name not in alone:
            alone[name] = _stands_alone(prose, name)
        return alone[name]

    for m in _people(prose):
        if m.start > 0 and prose[m.start - 1].isalnum():
            continue
        given, family = m.given, m.family
        if given in skip or len(given) < 4 or len(family) < 4:
            continue

        first = seen[family].first_near(given) if family in seen else None
        if first is not None and len(given) >= 5 and not _plural(first, given) and stands_alone(family):
            at = m.given_start
            yield Violation(
                Span(at, at + len(given)),
                f"'{given} {family}' is written '{first} {family}' earlier",
                Fix.unsafe(f"Write '{first}'", Edit.replace(at, at + len(given), first)),
            )
            continue
        other = given_seen[given].first_near(family) if given in given_seen else None
        if other is not None and len(family) >= 6 and not _plural(other, family) and stands_alone(other):
            at = m.family_start
            yield Violation(
                Span(at, at + len(family)),
                f"'{given} {family}' is written '{given} {other}' earlier",
                Fix.unsafe(f"Write '{other}'", Edit.replace(at, at + len(family), other)),
            )
            continue
        seen.setdefault(family, _NearNames()).add(given)
        given_seen.setdefault(given, _NearNames()).add(family)


@cache
def _title_attribution_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The attribution before a quotation up to its opening mark ("The
    Russian president added, “"), the one after its closing mark (", the
    Russian president added"), and a title with a name. The quotation
    between is found by _attributed_quotes."""
    titles = sorted(load_data("at")["titles"], key=len, reverse=True)
    title = "(?P<title>" + "|".join(re.escape(t) for t in titles) + ")"
    verbs = _verbs()
    adjective = r"(?:[A-Z][a-z]+ |[a-z]+ )?"
    before = re_compile(r"[Tt]he " + adjective + title + r" (?:" + verbs + r")(?: that)?[,:]?\s*[“\"]", re.I)
    after = re_compile(r",? the " + adjective + title + r" (?:" + verbs + r")\b", re.I)
    # No leading \b: a pattern that starts with literals lets the regex
    # engine skip ahead (ten times faster); callers check the boundary.
    inside = re_compile(r"(?P<t>" + "|".join(re.escape(t.title()) for t in titles) + r") (?P<name>" + _NAME + r")")
    return before, after, inside


_OPENING_RE = re_compile("[“\"]")
_QUOTE_END_RE = re_compile("[”\"\n]")


class _Quoted(NamedTuple):
    start: int  # the attribution and the quotation, start to end
    end: int
    title: str
    title_start: int
    title_end: int
    quote: str


def _attributed_quotes(prose: str, before: re.Pattern[str], after: re.Pattern[str]) -> Iterator[_Quoted]:
    """Quotations of 10 characters or more (on one line, with no closing
    mark inside) attributed to a title before (``before``, then the
    quotation) or after them (the quotation, maybe a , . ! or ? inside its
    closing mark, then ``after``): the matches, in this order, of the
    patterns ``before + [^”"\\n]{10,}[”"]`` and ``[“"][^”"\\n]{10,}[,.!?]?[”"]
    + after``, found without them. A quotation ends at the first closing
    mark or line end after its opening mark; the patterns would look for it
    again from every opening mark and every attribution before it, and a
    paragraph of ten thousand unclosed quotations would cost the square of
    its length."""
    known = [-1, -1]  # [at, end]: the first quotation end at or after ``at`` is ``end``

    def quote_end(at: int) -> int:
        if not known[0] <= at <= known[1]:
            m = _QUOTE_END_RE.search(prose, at)
            known[0], known[1] = at, (m.start() if m else len(prose))
        return known[1]

    pos = 0
    while (m := before.search(prose, pos)) is not None:
        end = quote_end(m.end())
        if end < len(prose) and prose[end] != "\n" and end - m.end() >= 10:
            yield _Quoted(m.start(), end + 1, m.group("title"), m.start("title"), m.end("title"), prose[m.end() : end])
            pos = end + 1
        else:
            pos = m.start() + 1
    pos = 0
    while (m := _OPENING_RE.search(prose, pos)) is not None:
        end = quote_end(m.end())
        t = None
        if end < len(prose) and prose[end] != "\n" and end - m.end() >= 10:
            t = after.match(prose, end + 1)
        if t is not None:
            yield _Quoted(m.start(), t.end(), t.group("title"), t.start("title"), t.end("title"), prose[m.end() : end])
            pos = t.end()
        else:
            pos = m.start() + 1


def _same_title(a: str, b: str) -> bool:
    """"prime minister" and "minister" name the same office here."""
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)


@rule(
    code="AT003",
    name="speaker-in-third-person",
    summary="A quotation whose speaker is spoken of in the third person inside it",
    severity="warning",
    fixable="sometimes",
)
def speaker_in_third_person(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds a quotation attributed to a title ("the Russian president
    added") in which that same title is used for a named person in the
    third person ("…President Putin is always ready…"): the speaker is
    talking about the president, so the president is probably not the
    speaker. The named person must appear earlier in the story (a
    president quoting "President Lincoln" is not reported). It suggests
    the person named first in the paragraph before (other than the one
    spoken of), for a person to check.

    ## Why is this bad?
    A misattributed quotation is the most damaging error a story can
    carry; spinning tools swap names for titles and get it wrong.

    ## Example
    ```text
    Foreign Minister Sergei Lavrov was asked about a summit with Vladimir Putin.

    The Russian president added, “President Putin is always ready for talks, but they must be planned.”
    ```

    ## Use instead
    ```text
    Foreign Minister Sergei Lavrov was asked about a summit with Vladimir Putin.

    Lavrov added, “President Putin is always ready for talks, but they must be planned.”
    ```

    ## Fix safety
    Display-only: the suggestion names who the speaker may be; a person
    must check the source.
    """
    prose = doc.prose
    before, after, inside = _title_attribution_res()
    if inside.search(prose) is None:
        return  # no "President Putin" anywhere: nothing to misattribute
    first_named: dict[str, int] = {}  # name -> where it first ends in the prose
    suggestions: dict[tuple[int, str], str | None] = {}  # (paragraph start, name spoken of) -> suggestion
    last_at, para_start = 0, -1  # the paragraph of the last quotation (they come in order)
    for m in _attributed_quotes(prose, before, after):
        title = m.title.lower()
        if m.start > 0 and prose[m.start - 1].isalnum():
            continue
        quote = m.quote
        hit = next((i for i in inside.finditer(quote)
                    if _same_title(i.group("t").lower(), title) and not quote[i.start() - 1 : i.start()].isalnum()),
                   None)
        if hit is None or not doc.is_prose(m.start, m.end):
            continue
        name = hit.group("name")
        if name not in first_named:
            at = prose.find(name)
            first_named[name] = at + len(name) if at != -1 else len(prose) + 1
        if first_named[name] > m.start:
            continue  # someone the story has not named: "President Lincoln wrote…"
        if m.start < last_at:
            last_at, para_start = 0, -1  # the quotations after the title, from the start again
        # The last blank line before the quotation, looked for only since
        # the quotation before (a "\n\n" across last_at too).
        found_break = prose.rfind("\n\n", max(0, last_at - 1), m.start)
        if found_break != -1:
            para_start = found_break
        last_at = m.start
        key = (para_start, name)
        if key not in suggestions:
            prev_start = prose.rfind("\n\n", 0, max(para_start, 0)) + 1 if para_start > 0 else -1
            suggestion = None
            if prev_start >= 0:
                # The first person named there who is not the one spoken of.
                found = next((f for f in _people(prose, prev_start, para_start) if f.family != name), None)
                if found is not None:
                    suggestion = f"{found.given} {found.family}"
            suggestions[key] = suggestion
        suggestion = suggestions[key]
        # From "The"/"the" to the title: the words that name the speaker.
        start = m.title_start
        while start > m.start and prose[start - 4 : start].lower() != "the ":
            start -= 1
        span = Span(start - 4, m.title_end)
        message = (f"The quotation is attributed to the {title}, but speaks of "
                   f"'{hit.group('t')} {hit.group('name')}' in the third person")
        fix = None
        if suggestion:
            message += f"; perhaps {suggestion} (named in the paragraph before)"
            family = suggestion.split()[-1]
            fix = Fix.display_only(f"Check the source: perhaps {family}", Edit.replace(span.start, span.end, family))
        yield Violation(span, message, fix)


_QUALIFIER_RE = re_compile(r"(?:\b(?:former|acting|deputy|interim|then|ex|outgoing|incoming|future|vice|assistant|associate)[-\s]+)$", re.I)


_TITLE_LEAD_RE = re_compile(r"(?<![\w'’-])(?:[A-Z][a-z]+ ){1,2}$")
_QUALIFIER_WORD_RE = re_compile(
    r"\b(?:Former|Acting|Deputy|Interim|Outgoing|Incoming|Future|Vice|Assistant|Associate)\b")


@cache
def _titled_person_re() -> re.Pattern[str]:
    titles = sorted(load_data("at")["titles"], key=len, reverse=True)
    forms = [" ".join(w if w == "of" else w.capitalize() for w in t.split()) for t in titles]
    return re_compile(
        r"(?P<core>" + "|".join(re.escape(f) for f in forms) + r") (?P<given>" + _NAME
        + r") (?P<family>" + _NAME + r")\b"
    )


def _compatible(a: str, b: str) -> bool:
    """One title contains the other ("Minister" / "Foreign Minister",
    "Secretary" / "Secretary of State")."""
    return a == b or a.endswith(" " + b) or b.endswith(" " + a) or a.startswith(b + " ") or b.startswith(a + " ")


@rule(
    code="AT004",
    name="conflicting-titles",
    summary="One person given two different titles",
    severity="warning",
    fixable="never",
)
def conflicting_titles(doc: Document, opts: None) -> Iterator[Violation]:
    """
    ## What it does
    Finds one person (the same given and family name) given two different
    titles in one article: "Finance Minister Ana Ruiz" and later "Prime
    Minister Ana Ruiz". A title that contains the other ("Minister" /
    "Foreign Minister") is no conflict, and neither is one with a qualifier
    (former, acting, deputy, interim, vice, …).

    ## Why is this bad?
    One of the two is wrong, and readers cannot tell which; spinning tools
    and careless rewrites swap titles between the people of a story.

    ## Example
    ```text
    Finance Minister Ana Ruiz presented the budget. Later, Prime Minister Ana Ruiz defended it.
    ```

    ## Use instead
    ```text
    Finance Minister Ana Ruiz presented the budget. Later, she defended it.
    ```

    ## Fix safety
    No fix: which title is right needs the source.
    """
    prose = doc.prose
    titled = _titled_person_re()
    if titled.search(prose) is None:
        return
    not_title = frozenset(load_data("at")["not-title-words"])
    first: dict[tuple[str, str], str] = {}
    for m in titled.finditer(prose):
        if m.start() > 0 and prose[m.start() - 1].isalnum():
            continue
        # Up to two capitalised words before the core title belong to it
        # ("Finance Minister", "Russian Foreign Minister").
        lead = _TITLE_LEAD_RE.search(prose, max(0, m.start() - 40), m.start())
        title_start = lead.start() if lead else m.start()
        if lead:
            # "On Friday Foreign Minister", "The Minister": a sentence's first
            # word or a date is no part of the title.
            for word in lead.group().split():
                if word not in not_title:
                    break
                title_start += len(word) + 1
        title = prose[title_start : m.end("core")]
        qualified = (_QUALIFIER_RE.search(prose, max(0, title_start - 20), title_start) is not None
                     or _QUALIFIER_WORD_RE.search(title) is not None)
        person = (m.group("given"), m.group("family"))
        if qualified:
            continue
        if person not in first:
            first[person] = title
            continue
        if not _compatible(first[person], title):
            yield Violation(
                Span(title_start, m.end("core")),
                f"{person[0]} {person[1]} is '{first[person]}' earlier in the article, '{title}' here",
            )
