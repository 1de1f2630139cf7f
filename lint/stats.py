"""``artlint stats PATHS``: readability figures per article, and a summary.

Per article: words, sentences, paragraphs, Flesch reading ease,
Flesch–Kincaid grade, Gunning fog, SMOG and reading time.  The figures are
textstat's (its word, sentence and syllable rules and its formulas, for
``en_US``), computed by :mod:`artlint.readability` on the article's body
prose: the text RD rules measure (no headline, headings, list items, tables,
code, URLs or front matter).  ``sentences`` is textstat's count, which
leaves out runs of two words or fewer; ``paragraphs`` the body paragraphs
measured; the reading time is words at 238 words a minute (not textstat's
``reading_time``, which counts characters).  The formulas are English ones:
an article artlint reads as another language is listed with ``lang``
``other`` and its scores mean little.

Files are found as ``artlint check`` finds them (config ``exclude``,
``.gitignore``). Nothing is downloaded: see :mod:`artlint.readability`.

    python -m artlint.stats [--output-format text|json] PATHS...
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

COLUMNS = (
    # key, header, decimals
    ("words", "words", 0),
    ("sentences", "sentences", 0),
    ("paragraphs", "paragraphs", 0),
    ("flesch_reading_ease", "ease", 1),
    ("flesch_kincaid_grade", "grade", 1),
    ("gunning_fog", "fog", 1),
    ("smog_index", "smog", 1),
    ("reading_minutes", "minutes", 1),
)
TEXT_FORMATS = (None, "text", "full", "concise")


@dataclass(frozen=True)
class ArticleStats:
    path: str
    language: str
    words: int
    sentences: int
    paragraphs: int
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    smog_index: float
    reading_minutes: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def article_stats(path: str, text: str) -> ArticleStats:
    """The figures of one article (``text`` with ``\\n`` line breaks)."""
    from .document import Document
    from .readability import body_paragraphs, body_text, measure

    doc = Document(path, text)
    m = measure(body_text(doc))
    return ArticleStats(
        path=path,
        language=doc.language,
        words=m.words,
        sentences=m.sentences,
        paragraphs=len(body_paragraphs(doc)),
        flesch_reading_ease=m.flesch_reading_ease,
        flesch_kincaid_grade=m.flesch_kincaid_grade,
        gunning_fog=m.gunning_fog,
        smog_index=m.smog_index,
        reading_minutes=m.reading_minutes,
    )


def collect(paths: Sequence[str], err: IO[str] | None = None) -> tuple[list[ArticleStats], int]:
    """The figures of every article below ``paths``, and the number of
    paths that do not exist. Unreadable and oversized files are skipped
    with a warning on ``err``."""
    from .files import DecodeError, decode

    from .cli import find_targets, settings_resolver
    from .config import Layer

    err = err or sys.stderr
    results: list[ArticleStats] = []
    with contextlib.redirect_stderr(err):  # find_targets reports missing paths there
        targets, missing = find_targets(paths, settings_resolver(None, Layer()))
    for name, shown, settings in targets:
        path = Path(name)
        try:
            if path.stat().st_size > settings.max_file_size:
                print(f"artlint: warning: {shown}: larger than max-file-size; skipped", file=err)
                continue
            text, _ = decode(path.read_bytes()).normalized()
        except (OSError, DecodeError) as exc:
            print(f"artlint: warning: {shown}: cannot read: {exc}; skipped", file=err)
            continue
        results.append(article_stats(shown, text))
    return results, missing


def summary(results: Sequence[ArticleStats]) -> dict[str, Any]:
    """Count, and mean and median of each column."""
    out: dict[str, Any] = {"articles": len(results), "mean": {}, "median": {}}
    for key, _, _ in COLUMNS:
        values = [getattr(r, key) for r in results]
        out["mean"][key] = statistics.fmean(values) if values else 0.0
        out["median"][key] = statistics.median(values) if values else 0.0
    return out


def _cell(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def write_table(results: Sequence[ArticleStats], out: IO[str]) -> None:
    head = ["article", "lang"] + [h for _, h, _ in COLUMNS]
    rows = [[r.path, "en" if r.language == "en" else "other"]
            + [_cell(getattr(r, k), d) for k, _, d in COLUMNS] for r in results]
    summ = summary(results)
    footer = [
        [f"mean of {len(results)}", ""] + [_cell(summ["mean"][k], 1) for k, _, _ in COLUMNS],
        [f"median of {len(results)}", ""] + [_cell(summ["median"][k], 1) for k, _, _ in COLUMNS],
    ]
    widths = [max(len(row[i]) for row in [head] + rows + footer) for i in range(len(head))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(row[2:], widths[2:])]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    print(line(head), file=out)
    print(rule, file=out)
    for row in rows:
        print(line(row), file=out)
    print(rule, file=out)
    for row in footer:
        print(line(row), file=out)
    print("ease: Flesch reading ease; grade: Flesch–Kincaid grade; fog: Gunning fog; smog: SMOG index; "
          "minutes: reading time at 238 words a minute", file=out)


def write_json(results: Sequence[ArticleStats], out: IO[str]) -> None:
    json.dump({"articles": [r.as_dict() for r in results], "summary": summary(results)},
              out, indent=2, ensure_ascii=False)
    out.write("\n")


def main(paths: Sequence[str], output_format: str | None = "text", out: IO[str] | None = None) -> int:
    """Print the figures of the articles below ``paths`` (``.`` when empty)
    as a table (``output_format`` ``"text"``; ``None``, ``"full"`` and
    ``"concise"`` mean the same) or as JSON (``"json"``). Returns the exit
    status: 0, or 2 when a path does not exist or the format is unknown."""
    out = out or sys.stdout
    if output_format not in TEXT_FORMATS and output_format != "json":
        print(f"artlint: error: stats cannot write '{output_format}'; use text or json", file=sys.stderr)
        return 2
    from .config import ConfigError

    try:
        results, missing = collect(list(paths) or ["."])
    except ConfigError as exc:
        print(f"artlint: error: {exc}", file=sys.stderr)
        return 2
    if output_format == "json":
        write_json(results, out)
    elif results:
        write_table(results, out)
    else:
        print("No articles.", file=out)
    return 2 if missing else 0


def _cli(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m artlint.stats", description="Readability figures per article.")
    parser.add_argument("paths", nargs="*", help="files and folders (default: .)")
    parser.add_argument("--output-format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    return main(args.paths, args.output_format)


if __name__ == "__main__":
    sys.exit(_cli())
