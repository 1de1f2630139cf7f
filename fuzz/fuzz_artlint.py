"""An atheris (libFuzzer) target over artlint's whole pipeline.

An input is one header byte and the bytes of an article as on disk. The
header's bit 0 picks the kind (0: ``article.txt``, 1: ``article.md``), bit 1
adds the unsafe fix level to the safe one, and bit 2 repairs bytes that are
not UTF-8 (dropping them) rather than stopping at the decode error, so that
mutations keep reaching the rules. ``fuzz/invariants.py`` runs decode,
Document, every rule but grammar, the fixer and the reporter, and raises on a
broken invariant.

    pip install -e '.[fuzz]'
    python fuzz/fuzz_artlint.py -max_total_time=1800

Without a corpus folder on the command line, the corpus is
``$TMPDIR/artlint-fuzz/corpus`` (kept between runs), seeded from the test
fixtures (tests/fixtures/**: whole and case by case, some in CRLF, with a
BOM or as UTF-16), and these libFuzzer options are the defaults:
``-dict=fuzz/artlint.dict -max_len=4096 -timeout=10`` (any other libFuzzer
option works; a crash is written to ``crash-*`` in the current folder).
Run one process: it is the pipeline, not libFuzzer, that is slow.

``--make-seeds DIR`` only writes the seed corpus to DIR; ``--run FILE...``
checks saved inputs (a crash file) again, without atheris.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

KINDS = ("article.txt", "article.md")
invariants = None  # fuzz/invariants.py, imported under instrumentation when fuzzing


def _import_pipeline():
    global invariants
    if invariants is None:
        import invariants as module  # artlint is imported through it

        invariants = module
    return invariants


def check_input(data: bytes) -> None:
    """The target's entry: split the header, run every invariant."""
    if not data:
        return
    head, body = data[0], data[1:]
    path = KINDS[head & 1]
    inv = _import_pipeline()
    if head & 4:
        try:
            inv.decode(body)
        except inv.DecodeError:
            body = body.decode("utf-8", "ignore").replace("\x00", "").encode("utf-8")
    inv.check_pipeline(body, path, unsafe=bool(head & 2))


def header(path: str, unsafe: bool, repair: bool = False) -> bytes:
    return bytes([(1 if path.endswith(".md") else 0) | (2 if unsafe else 0) | (4 if repair else 0)])


# ---------------------------------------------------------------- seeds
def _cases(text: str) -> list[str]:
    """The cases of a fixture file (the text between ``#:`` header lines)."""
    cases, current = [], []
    for line in text.split("\n"):
        if line.startswith(("#:", "#!")):
            if any(x.strip() for x in current):
                cases.append("\n".join(current).strip("\n") + "\n")
            current = []
        else:
            current.append(line)
    if any(x.strip() for x in current):
        cases.append("\n".join(current).strip("\n") + "\n")
    return cases


def seed_inputs(fixtures: Path | None = None) -> list[bytes]:
    """Seed inputs built from the test fixtures: every article file whole
    and, for rule fixtures, every case; every fourth in CRLF, some with a
    UTF-8 BOM or as UTF-16, half with the unsafe level, most UTF-8 ones
    with the repair bit."""
    fixtures = fixtures or ROOT / "tests" / "fixtures"
    texts: list[tuple[str, str]] = []
    for f in sorted(fixtures.rglob("*")):
        if f.suffix not in (".txt", ".md") or not f.is_file():
            continue
        text = f.read_text(encoding="utf-8")
        kind = "article.md" if f.suffix == ".md" else "article.txt"
        texts.append((kind, text))
        if "\n#:" in "\n" + text:
            texts.extend((kind, c) for c in _cases(text))
    out: list[bytes] = []
    seen: set[bytes] = set()
    for i, (kind, text) in enumerate(texts):
        variants = [(text, "utf-8", b"")]
        if i % 4 == 1:
            variants.append((text.replace("\n", "\r\n"), "utf-8", b""))
        if i % 7 == 2:
            variants.append((text, "utf-8", b"\xef\xbb\xbf"))
        if i % 11 == 3:
            variants.append((text.replace("\n", "\r\n"), "utf-16-le", b"\xff\xfe"))
        for j, (t, enc, bom) in enumerate(variants):
            data = header(kind, (i + j) % 2 == 1, not bom and (i + j) % 3 != 0) + bom + t.encode(enc)
            if data not in seen:
                seen.add(data)
                out.append(data)
    return out


def make_seeds(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    seeds = seed_inputs()
    for data in seeds:
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
    return len(seeds)


# ----------------------------------------------------------------- main
DEFAULT_OPTIONS = {"-dict": str(HERE / "artlint.dict"), "-max_len": "4096", "-timeout": "10"}


def _with_defaults(argv: list[str]) -> list[str]:
    """libFuzzer's arguments, with the default options and, when no corpus
    folder is given, the default corpus seeded from the fixtures."""
    args = list(argv[1:])
    given = {a.split("=", 1)[0] for a in args if a.startswith("-")}
    args = [f"{k}={v}" for k, v in DEFAULT_OPTIONS.items() if k not in given] + args
    if not any(not a.startswith("-") for a in args):
        import tempfile

        corpus = Path(tempfile.gettempdir()) / "artlint-fuzz" / "corpus"
        print(f"corpus: {corpus} ({make_seeds(corpus)} seeds from the fixtures)", file=sys.stderr)
        args.append(str(corpus))
    return [argv[0], *args]


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[1] == "--make-seeds":
        if len(argv) != 3:
            print("usage: fuzz_artlint.py --make-seeds DIR", file=sys.stderr)
            return 2
        print(f"{make_seeds(Path(argv[2]))} seeds written to {argv[2]}")
        return 0
    if len(argv) >= 2 and argv[1] == "--run":
        _import_pipeline()
        for name in argv[2:]:
            check_input(Path(name).read_bytes())
            print(f"{name}: ok")
        return 0
    import atheris

    argv = _with_defaults(argv)
    # Coverage guides the fuzzer through artlint and its Markdown parser.
    with atheris.instrument_imports(include=["artlint", "markdown_it", "mdit_py_plugins"]):
        _import_pipeline().fuzz_settings()  # imports the engine and the rule modules
        import artlint._markdown  # noqa: F401  (imported on the first Markdown article otherwise)
    atheris.Setup(argv, check_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
