"""artlint's benchmark harness.

    python benchmarks/bench.py                 # the corpus, 3 runs each
    python benchmarks/bench.py --quick         # a small smoke run (the suite runs this)
    python benchmarks/bench.py --scale 10000,100000   # generated corpora: memory and linearity

It lints a folder of articles (``../shared/corpus/clean`` beside the project
when present, else a corpus generated deterministically from the test
fixtures) with artlint's default rules, and with proselint on the same files
when proselint is installed, in the same run; each figure is the median of
``--runs`` runs of the real command line. It prints articles/s, MB/s, peak
memory (of the process and its workers) and the ratios: one process against
proselint, ``--jobs`` against one process, a warm cache against a cold one,
and the one-file case of pre-commit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "clean"
FIXTURES = ROOT / "tests" / "fixtures"
SEED = next((ROOT / "seeds").glob("*.txt"), None)
ONE_FILE_RUNS = 15


def generate_corpus(folder: Path, n: int) -> Path:
    """``n`` articles built from the test fixtures, each made unique (its
    headline and a sentence carry its number), deterministic."""
    sources = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md")
                     and ".fixed." not in p.name and ".unsafe." not in p.name)
    texts = [(p.suffix, p.read_text(encoding="utf-8")) for p in sources]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        suffix, text = texts[i % len(texts)]
        body = f"Article {i}: {text}\n\nThe figures for case {i} were published on Monday.\n"
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{i:06d}{suffix}").write_text(body, encoding="utf-8")
    return folder


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md", ".markdown") and p.is_file())


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak resident MB of the process and its children)."""
    full_env = dict(os.environ, **(env or {}))
    # Measure installed programs as they run for users: with their bytecode
    # cached (a machine may forbid writing it).
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed with status {proc.returncode}")
    # ru_maxrss is the largest single process (kilobytes on Linux): the
    # parent, or its largest worker.
    return wall, usage.ru_maxrss / 1024


def median_run(cmd: list[str], cwd: Path, runs: int, env: dict | None = None, before=None) -> tuple[float, float]:
    walls, peaks = [], []
    for _ in range(runs):
        if before is not None:
            before()
        wall, peak = run(cmd, cwd, env)
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


def artlint_cmd(*args: str) -> list[str]:
    # The installed command, as pre-commit and users run it (and as
    # proselint is run), else the module.
    exe = Path(sys.executable).with_name("artlint")
    start = [str(exe)] if exe.exists() else [sys.executable, "-m", "artlint"]
    return [*start, "check", "--exit-zero", "-q", "--output-format", "concise", *args]


def proselint_cmd(*paths: str) -> list[str] | None:
    exe = shutil.which("proselint") or (str(Path(sys.executable).with_name("proselint"))
                                        if Path(sys.executable).with_name("proselint").exists() else None)
    return [exe, "check", *paths] if exe else None


def corpus_figures(folder: Path, runs: int, jobs: int) -> list[tuple[str, float, float, int, int]]:
    files = _files(folder)
    size = sum(p.stat().st_size for p in files)
    rows = []
    with tempfile.TemporaryDirectory(prefix="artlint-bench-") as tmp:
        cache = Path(tmp) / "cache"

        def clear() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        rows.append(("artlint, 1 process",
                     *median_run(artlint_cmd("--no-cache", "-j", "1", str(folder)), ROOT, runs), len(files), size))
        rows.append((f"artlint, --jobs {jobs}",
                     *median_run(artlint_cmd("--no-cache", "-j", str(jobs), str(folder)), ROOT, runs), len(files), size))
        env = {"ARTLINT_CACHE_DIR": str(cache)}
        rows.append(("artlint, cold cache", *median_run(artlint_cmd("-j", "1", str(folder)), ROOT, runs, env, clear),
                     len(files), size))
        run(artlint_cmd("-j", "1", str(folder)), ROOT, env)
        rows.append(("artlint, warm cache", *median_run(artlint_cmd("-j", "1", str(folder)), ROOT, runs, env),
                     len(files), size))
    prose = proselint_cmd(*map(str, files))
    if prose:
        rows.append(("proselint", *median_run(prose, ROOT, runs), len(files), size))
    return rows


def one_file_figures(runs: int) -> list[tuple[str, float, float, int, int]]:
    if SEED is None:
        return []
    run(artlint_cmd("--no-cache", str(SEED)), ROOT)  # bytecode written once, as an install does
    size = SEED.stat().st_size
    if runs > 1:  # a tenth of a second each: more runs, a steadier median (not in a smoke run)
        runs = max(runs, ONE_FILE_RUNS)
    rows = [("artlint, one file", *median_run(artlint_cmd("--no-cache", str(SEED)), ROOT, runs), 1, size)]
    prose = proselint_cmd(str(SEED))
    if prose:
        rows.append(("proselint, one file", *median_run(prose, ROOT, runs), 1, size))
    return rows


def print_table(title: str, rows: list[tuple[str, float, float, int, int]]) -> dict[str, float]:
    print(title)
    print(f"  {'run':<24}{'seconds':>9}{'articles/s':>12}{'MB/s':>8}{'peak MB':>9}")
    walls = {}
    for name, wall, peak, n, size in rows:
        walls[name] = wall
        print(f"  {name:<24}{wall:>9.3f}{n / wall:>12.1f}{size / 1e6 / wall:>8.2f}{peak:>9.1f}")
    return walls


def ratio(walls: dict[str, float], slow: str, fast: str, label: str) -> None:
    if slow in walls and fast in walls:
        print(f"  {label:<44}{walls[slow] / walls[fast]:>8.1f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="a folder of articles (default: the shared corpus, else generated)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--quick", action="store_true", help="a generated corpus of 40 articles, one run each")
    parser.add_argument("--scale", help="comma-separated sizes of generated corpora to time (e.g. 10000,100000)")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="artlint-corpus-") as tmp:
        if args.corpus:
            folder = args.corpus
        elif SHARED_CORPUS.is_dir() and not args.quick:
            folder = SHARED_CORPUS
        else:
            folder = generate_corpus(Path(tmp) / "corpus", 40 if args.quick else 1000)
        print(f"corpus: {folder} ({len(_files(folder))} articles); median of {runs} run(s)")
        walls = print_table("whole corpus", corpus_figures(folder, runs, args.jobs))
        walls.update(print_table("one file (the pre-commit case)", one_file_figures(runs)))
        print("ratios")
        ratio(walls, "proselint", "artlint, 1 process", "artlint (1 process) vs proselint, articles/s")
        ratio(walls, "artlint, 1 process", f"artlint, --jobs {args.jobs}", f"--jobs {args.jobs} vs 1 process")
        ratio(walls, "artlint, cold cache", "artlint, warm cache", "warm cache vs cold")
        ratio(walls, "proselint, one file", "artlint, one file", "one file: artlint vs proselint, wall time")
        for n in [int(x) for x in args.scale.split(",")] if args.scale else []:
            big = generate_corpus(Path(tmp) / f"scale-{n}", n)
            wall, peak = run(artlint_cmd("--no-cache", "-j", "1", "--output-format", "json-lines", str(big)), ROOT)
            print(f"  {n} generated articles, 1 process: {wall:.1f} s, {n / wall:.0f} articles/s, peak {peak:.0f} MB")
            shutil.rmtree(big)
    return 0


if __name__ == "__main__":
    sys.exit(main())
