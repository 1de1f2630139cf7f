"""The corpus measurement script works on any folder laid out like the
project's measurement corpus (tiny ones made here)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import FIXTURES, ROOT

SCRIPT = ROOT / "scripts" / "corpus_stats.py"


def _run(*args: str) -> list[str]:
    out = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_clean_fixtures_have_no_findings_per_family():
    lines = _run(str(FIXTURES / "clean"))
    assert lines[0].startswith(f"{len(list((FIXTURES / 'clean').glob('*.*')))} articles in ")
    assert lines[1].split() == ["family", "findings", "per", "100", "articles", "per", "100"]
    assert len(lines) == 2  # no family has a finding


def test_by_source_and_raw_recall(tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a-1.txt").write_text("Council Votes Again\n\nThe council met.\n\nLeave A Reply\n", encoding="utf-8")
    (clean / "b-1.txt").write_text("Harbour Reopens\n\nThe harbour reopened.\n", encoding="utf-8")
    (tmp_path / "MANIFEST.tsv").write_text("id\tsource\na-1\talpha\nb-1\tbeta\n", encoding="utf-8")
    lines = _run(str(clean), "--select", "BP", "--by-source")
    assert lines[2].split() == ["BP", "1", "50.00", "1", "50.00"]
    assert [line.split() for line in lines[-2:]] == [["alpha", "1", "100.00"], ["beta", "1", "0.00"]]

    (tmp_path / "raw").mkdir()
    (tmp_path / "raw_labels").mkdir()
    (tmp_path / "raw" / "p.txt").write_text(
        "Home\nLeave a Reply\nThe council met on Monday and voted to close the library after a long debate.\n"
        "Share on Facebook\n", encoding="utf-8")
    (tmp_path / "raw_labels" / "p.tsv").write_text(
        "label\tline\nboilerplate\tHome\nboilerplate\tLeave a Reply\n"
        "content\tThe council met on Monday and voted to close the library after a long debate.\n"
        "boilerplate\tShare on Facebook\n", encoding="utf-8")
    raw = _run("--raw", str(tmp_path))
    assert raw[1].split()[:6] == ["short", "boilerplate", "3", "of", "3", "lines"]
    assert raw[2].split()[:5] == ["content", "0", "of", "1", "lines"]
    assert raw[3].split() == ["of", "which", "flagged", "in", "the", "clean", "text", "too:", "0;",
                              "the", "rest:", "0", "(0.00%)"]

    # A promo labelled content: flagged, and flagged in the page's clean text
    # too; a content sentence that BP flags only on the whole page is not.
    (clean / "q.txt").write_text("Library Closes\n\nThe library will close in May.\n\n"
                                 "READ MORE: Council Budget Explained\n", encoding="utf-8")
    (tmp_path / "raw" / "q.txt").write_text(
        "Home\nNews\nSport\nWeather\nSubscribe\nSearch\nMenu\nLogin\nLibrary Closes\n"
        "The library will close in May after the council voted to cut its budget by a third this year.\n"
        "READ MORE: Council Budget Explained\n", encoding="utf-8")
    (tmp_path / "raw_labels" / "q.tsv").write_text(
        "label\tline\n" + "".join(f"boilerplate\t{w}\n" for w in
                                  ("Home", "News", "Sport", "Weather", "Subscribe", "Search", "Menu", "Login"))
        + "content\tLibrary Closes\n"
        "content\tThe library will close in May after the council voted to cut its budget by a third this year.\n"
        "content\tREAD MORE: Council Budget Explained\n", encoding="utf-8")
    raw = _run("--raw", str(tmp_path))
    assert raw[2].split()[:5] == ["content", "1", "of", "4", "lines"]
    assert raw[3].split() == ["of", "which", "flagged", "in", "the", "clean", "text", "too:", "1;",
                              "the", "rest:", "0", "(0.00%)"]
    assert len(raw) == 4  # no line is labelled title

    # The headline, labelled title: counted apart (BP004 leaves it out of
    # the menu above it).
    (tmp_path / "raw" / "t.txt").write_text(
        "Home\nNews\nSport\nWeather\nSubscribe\nSearch\nMenu\nLogin\nLibrary Closes\n"
        "The library will close in May after the council voted to cut its budget by a third this year.\n",
        encoding="utf-8")
    (tmp_path / "raw_labels" / "t.tsv").write_text(
        "label\tline\n" + "".join(f"boilerplate\t{w}\n" for w in
                                  ("Home", "News", "Sport", "Weather", "Subscribe", "Search", "Menu", "Login"))
        + "title\tLibrary Closes\n"
        "content\tThe library will close in May after the council voted to cut its budget by a third this year.\n",
        encoding="utf-8")
    raw = _run("--raw", str(tmp_path))
    assert raw[2].split()[:5] == ["content", "1", "of", "5", "lines"]
    assert raw[4].split() == ["headline", "0", "of", "1", "lines", "labelled", "title", "flagged", "(0.00%)"]


def test_raw_recall_stops_when_a_rule_fails(tmp_path, monkeypatch, capsys):
    """A rule that failed on a page (XX006) reports no finding there: the
    shares would be wrong, so none is printed and the exit code says so."""
    import importlib.util

    from artlint.types import Diagnostic, Severity, Span

    spec = importlib.util.spec_from_file_location("corpus_stats", SCRIPT)
    stats = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stats)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw_labels").mkdir()
    (tmp_path / "raw" / "p.txt").write_text("Home\n", encoding="utf-8")
    (tmp_path / "raw_labels" / "p.tsv").write_text("label\tline\nboilerplate\tHome\n", encoding="utf-8")
    failed = Diagnostic("XX006", "rule-failed", Span(0, 0), "BP004 failed: NameError: name 'x' is not defined",
                        Severity.ERROR, None)
    monkeypatch.setattr(stats, "lint_document", lambda doc, settings: [failed])
    assert stats.main(["--raw", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err == (f"a rule failed, no share printed: {tmp_path / 'raw' / 'p.txt'}: "
                       "BP004 failed: NameError: name 'x' is not defined\n")


def test_timing_prints_the_engine_and_what_each_family_adds():
    lines = _run(str(FIXTURES / "clean"), "--timing")
    n = len(list((FIXTURES / "clean").glob("*.*")))
    assert lines[0].startswith(f"{n} articles, 9 rounds, ms per article")
    assert lines[1].split()[0] == "engine" and float(lines[1].split()[1]) > 0
    assert [line.split()[1] for line in lines[2:]] == ["HL+BP", "QT+AT", "WS"]
    assert all(line.endswith("% of the engine)") for line in lines[2:])


def test_benchmark_harness_smoke_run():
    """The harness runs end to end on a small generated corpus (a smoke run:
    benchmarks are not tests, so no figure is asserted)."""
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("corpus: ") and "(40 articles)" in lines[0]
    names = [line.split("  ")[1].strip() for line in lines if line.startswith("  artlint")]
    assert names[:4] == ["artlint, 1 process", f"artlint, --jobs {os.cpu_count() or 1}",
                         "artlint, cold cache", "artlint, warm cache"]
    assert "ratios" in lines


def test_the_written_pages_are_labelled_line_for_line():
    """Each page of benchmarks/pages has one label row per line, the same
    text, one of three labels and one headline, and its clean text is its
    content lines in order."""
    folders = sorted((ROOT / "benchmarks" / "pages").glob("written-*"))
    assert len(folders) == 5
    for folder in folders:
        pages = sorted((folder / "raw").glob("*.txt"))
        assert pages and {p.stem for p in pages} == {p.stem for p in (folder / "raw_labels").glob("*.tsv")}
        for page in pages:
            lines = page.read_text(encoding="utf-8").split("\n")
            if lines[-1] == "":
                lines.pop()
            rows = (folder / "raw_labels" / f"{page.stem}.tsv").read_text(encoding="utf-8").split("\n")
            assert rows[0] == "label\tline", page
            rows = [r for r in rows[1:] if r]
            assert [r.partition("\t")[2] for r in rows] == lines, page
            labels = [r.partition("\t")[0] for r in rows]
            assert set(labels) <= {"boilerplate", "content", "title"} and labels.count("title") == 1, page
            clean = (folder / "clean" / f"{page.stem}.txt").read_text(encoding="utf-8")
            kept = [line for line, label in zip(lines, labels) if label != "boilerplate"]
            assert [line for line in clean.split("\n") if line.strip()] == kept, page
