"""Measure artlint on a folder of real articles.

    python scripts/corpus_stats.py [FOLDER] [--select HL,BP] [--by-source]
        findings per rule family per 100 articles, and articles with a
        finding per 100 (default folder: ../shared/corpus/clean when present);
        --by-source splits them by the `source` column of the MANIFEST.tsv
        beside the folder

    python scripts/corpus_stats.py --raw CORPUS
        boilerplate recall on whole-page text: CORPUS/raw/<id>.txt with
        CORPUS/raw_labels/<id>.tsv (one "label<TAB>line" row per raw line).
        Prints the share of `boilerplate` lines of 8 words or fewer that BP
        flags (BP001, BP002 and BP004; a line counts when a finding's span
        covers it), and the share of `content` lines it flags, with how many
        of those the page's clean text (CORPUS/clean/<id>.txt) keeps and BP
        flags there too (furniture the cleaner kept: promos, credits), and
        the lines labelled `title` (the article's headline) that BP flags

    python scripts/corpus_stats.py [FOLDER] --timing
        milliseconds per article: the engine's own cost (Document, parse,
        masks, the engine with no rule) and what each rule family adds to it,
        in rounds that run the engine alone and with each family in turn
        (the engine: read, decode, Document, parse, language guess, the
        engine loop with no rule; a family: the median of its differences
        from the engine in the same round)

It reads the corpus, never copies it, and needs nothing but artlint.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from artlint.config import Layer, build_settings
from artlint.document import Document
from artlint.engine import lint_document
from artlint.files import decode
from artlint.registry import load_builtin_rules

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _sources(folder: Path) -> dict[str, str]:
    manifest = folder.parent / "MANIFEST.tsv"
    if not manifest.exists():
        return {}
    rows = manifest.read_text(encoding="utf-8").split("\n")
    header = rows[0].split("\t")
    at_id, at_source = header.index("id"), header.index("source")
    out = {}
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) > max(at_id, at_source):
            out[cols[at_id]] = cols[at_source]
    return out


def family_stats(folder: Path, select: list[str] | None, show: int, by_source: bool = False) -> None:
    settings = build_settings({}, folder, None, Layer(select=tuple(select) if select else None))
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))
    per_family: Counter = Counter()
    articles: Counter = Counter()
    samples: list[str] = []
    sources = _sources(folder) if by_source else {}
    per_source: dict[str, Counter] = {}
    source_sizes: Counter = Counter()
    started = time.perf_counter()
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        doc = Document(str(path), text)
        diags = lint_document(doc, settings)
        if by_source:
            source = sources.get(path.stem, "unknown")
            source_sizes[source] += 1
            counts = per_source.setdefault(source, Counter())
            for d in diags:
                counts[d.code[:2]] += 1
        for fam in {d.code[:2] for d in diags}:
            articles[fam] += 1
        for d in diags:
            per_family[d.code[:2]] += 1
            if len(samples) < show:
                line, col = doc.position(d.span.start)
                samples.append(f"{path.name}:{line}:{col} {d.code} {d.message}")
    elapsed = time.perf_counter() - started
    n = len(files)
    print(f"{n} articles in {elapsed:.2f} s ({1000 * elapsed / max(n, 1):.2f} ms per article)")
    print(f"{'family':<8}{'findings':>10}{'per 100':>10}{'articles':>10}{'per 100':>10}")
    for fam in sorted(set(per_family) | set(articles)):
        print(f"{fam:<8}{per_family[fam]:>10}{100 * per_family[fam] / n:>10.2f}"
              f"{articles[fam]:>10}{100 * articles[fam] / n:>10.2f}")
    if by_source:
        families = sorted(per_family)
        print()
        print(f"{'source':<24}{'articles':>9}" + "".join(f"{f + ' /100':>10}" for f in families))
        for source in sorted(per_source):
            n_source = source_sizes[source]
            print(f"{source:<24}{n_source:>9}"
                  + "".join(f"{100 * per_source[source][f] / n_source:>10.2f}" for f in families))
    for s in samples:
        print("  " + s)


class RuleFailed(Exception):
    """A rule failed on a page (XX006, XX009): its share would be wrong."""


def _flagged_lines(doc: Document, settings) -> set[int]:
    """The numbers of the lines a finding covers."""
    hit_lines: set[int] = set()
    for d in lint_document(doc, settings):
        if d.code in ("XX006", "XX009"):
            raise RuleFailed(f"{doc.path}: {d.message}")
        hit_lines.update(range(doc.position(d.span.start)[0], doc.position(d.span.end)[0] + 1))
    return hit_lines


def raw_recall(corpus: Path, max_words: int) -> None:
    settings = build_settings({}, corpus, None, Layer(select=("BP001", "BP002", "BP004")))
    flagged = Counter()
    totals = Counter()
    started = time.perf_counter()
    pages = 0
    for labels_path in sorted((corpus / "raw_labels").glob("*.tsv")):
        raw_path = corpus / "raw" / (labels_path.stem + ".txt")
        if not raw_path.exists():
            continue
        pages += 1
        text = raw_path.read_text(encoding="utf-8", errors="replace")
        doc = Document(str(raw_path), text)
        hit_lines = _flagged_lines(doc, settings)
        # A content line that the clean text of the page keeps, and that BP
        # flags there too, is page furniture the cleaner kept (a "READ MORE:"
        # promo, a photo credit): counted apart.
        kept: set[str] | None = None
        rows = labels_path.read_text(encoding="utf-8").split("\n")[1:]
        for number, row in enumerate(rows, 1):
            label, _, line = row.partition("\t")
            if label == "boilerplate" and len(line.split()) <= max_words:
                key = "short boilerplate"
            elif label == "content":
                key = "content"
            elif label == "title":
                key = "title"  # the article's headline, in neither count
            else:
                continue
            totals[key] += 1
            if number in hit_lines:
                flagged[key] += 1
                if key == "content":
                    if kept is None:
                        kept = _kept_furniture(corpus / "clean" / raw_path.name, settings)
                    flagged["kept"] += line.strip() in kept
    elapsed = time.perf_counter() - started
    print(f"{pages} pages in {elapsed:.2f} s")
    for key in ("short boilerplate", "content"):
        share = 100 * flagged[key] / max(totals[key], 1)
        print(f"{key:<18} {flagged[key]:>7} of {totals[key]:>7} lines flagged ({share:.2f}%)")
    rest = flagged["content"] - flagged["kept"]
    print(f"  of which flagged in the clean text too: {flagged['kept']}; "
          f"the rest: {rest} ({100 * rest / max(totals['content'], 1):.2f}%)")
    if totals["title"]:
        print(f"{'headline':<18} {flagged['title']:>7} of {totals['title']:>7} lines labelled title flagged "
              f"({100 * flagged['title'] / totals['title']:.2f}%)")


def _kept_furniture(clean_path: Path, settings) -> set[str]:
    """The lines of a page's clean text (CORPUS/clean/<id>.txt) that BP
    flags, stripped."""
    if not clean_path.exists():
        return set()
    text = clean_path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    return {lines[n - 1].strip() for n in _flagged_lines(Document(str(clean_path), text), settings)}


def timing(folder: Path, families: list[str], repeats: int = 9) -> None:
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md"))

    def run(settings) -> float:
        started = time.perf_counter()
        for path in paths:
            text, _ = decode(path.read_bytes()).normalized()
            doc = Document(str(path), text)
            # The Document model (parse, masks, language) is the engine's
            # whatever rules run: it is counted with the engine.
            doc.paragraphs, doc.prose, doc.language
            lint_document(doc, settings)
        return 1000 * (time.perf_counter() - started) / max(len(paths), 1)

    registry = load_builtin_rules()

    def default_codes(family: str) -> tuple[str, ...]:
        # The rules a default run has on (preview rules are not counted); a
        # family with none on by default (RD) is timed with all its rules.
        codes = []
        for part in family.split("+"):
            rules = [(c, m) for c, m in registry.rules.items() if c.startswith(part) and m.func is not None]
            on = [c for c, m in rules if m.default_enabled]
            codes += on or [c for c, _ in rules]
        return tuple(codes)

    def settings_for(select: tuple[str, ...]):
        return build_settings({}, folder, None, Layer(select=select))

    run(settings_for(tuple(c for fam in families for c in default_codes(fam))))  # warm up: compile, load data
    configs = [settings_for(())] + [settings_for(default_codes(fam)) for fam in families]
    # The runs take turns (the engine alone, then with each family), and
    # each family's cost is the median of its differences from the engine
    # run next to it: a machine that slows down or speeds up over the
    # minutes of a measurement moves both alike.
    times: list[list[float]] = [[] for _ in configs]
    for _ in range(repeats):
        for i, settings in enumerate(configs):
            times[i].append(run(settings))
    engine = statistics.median(times[0])
    print(f"{len(paths)} articles, {repeats} rounds, ms per article (default rules of each family; "
          "a family: the median of its differences from the engine in the same round)")
    print(f"{'engine':<12}{engine:>8.3f}")
    for fam, family_times in zip(families, times[1:]):
        added = statistics.median(t - e for t, e in zip(family_times, times[0]))
        print(f"{'+ ' + fam:<12}{added:>8.3f}  ({100 * added / engine:.0f}% of the engine)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--select", help="comma-separated rule selectors (default: the default rules)")
    parser.add_argument("--raw", type=Path, metavar="CORPUS", help="measure boilerplate recall on CORPUS/raw")
    parser.add_argument("--max-words", type=int, default=8, help="--raw: the longest boilerplate line counted")
    parser.add_argument("--show", type=int, default=0, help="print the first N findings")
    parser.add_argument("--by-source", action="store_true", help="split the counts by corpus source")
    parser.add_argument("--timing", action="store_true", help="time the engine and each rule family")
    args = parser.parse_args(argv)
    if args.raw:
        try:
            raw_recall(args.raw, args.max_words)
        except RuleFailed as exc:
            print(f"a rule failed, no share printed: {exc}", file=sys.stderr)
            return 1
        return 0
    folder = args.folder or DEFAULT / "clean"
    if not folder.is_dir():
        print(f"no such folder: {folder}", file=sys.stderr)
        return 2
    if args.timing:
        timing(folder, args.select.split(",") if args.select else ["HL+BP", "QT+AT", "WS"])
        return 0
    family_stats(folder, args.select.split(",") if args.select else None, args.show, args.by_source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
