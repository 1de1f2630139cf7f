"""artlint.dask: an archive linted on a local Dask cluster (two worker
processes on loopback) finds what ``artlint check`` finds on the same
articles written to files, duplicate headlines across partitions included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="artlint.dask needs the dask extra (pip install '.[dask]')")

import artlint.dask as artlint_dask
import dask.bag as db
import dask.dataframe as dd
import pandas as pd
from artlint.config import ConfigError
from conftest import run_cli
from distributed import Client, LocalCluster

N = 20
SHARED = {3: "Council Votes To Close The Old Library", 11: "council votes to close the old library!",
          18: "Council votes to close the old ‘library’"}
PAIR = {6: "Storm warning issued for the coast tonight", 14: "Storm Warning Issued For The Coast Tonight"}


def _id(i: int) -> str:
    return f"a{i:02d}"


def _article(i: int) -> str:
    headline = SHARED.get(i) or PAIR.get(i) or f"Local story number {i} about the town market"
    if not _path(i).endswith(".txt"):
        headline = f"# {headline}"
    lines = [headline, "", f"The town market opened on day {i} with stalls from across the county."]
    if i % 3 == 0:
        lines += ["", "", "Traders said business was good this year."]  # WS001
    else:
        lines += ["", "Traders said business was good this year."]
    if i % 4 == 1:
        lines += ["", "Leave A Reply", "", "Your email address will not be published."]  # BP001
    if i % 5 == 2:
        lines += ["", "The mayor said the the market would stay."]  # WS007
    if i % 7 == 3:
        lines += ["", "Prices rose by 3 % ."]  # spaces before punctuation
    return "\n".join(lines) + "\n"


def _path(i: int) -> str:
    # A few plain-text articles: the kind comes from the path.
    return f"{_id(i)}.txt" if i % 6 == 5 else f"{_id(i)}.md"


ARTICLES = [(_id(i), _article(i), _path(i)) for i in range(N)]


def _key(code, line, column, end_line, end_column, message, severity, fixable):
    return (code, int(line), int(column), int(end_line), int(end_column), message, severity, fixable)


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, set]:
    """What ``artlint check`` reports on the articles written to files, by id."""
    folder = tmp_path_factory.mktemp("archive")
    for _, text, path in ARTICLES:
        (folder / path).write_text(text, encoding="utf-8")
    proc = run_cli("check", "--output-format", "json", ".", cwd=folder)
    assert proc.returncode == 1, proc.stderr
    stems = {Path(p).name: i for i, _, p in ARTICLES}
    out: dict[str, set] = {}
    for f in json.loads(proc.stdout):
        message = f["message"]
        if f["code"] == "HL002":  # the CLI names files, the cluster names ids
            for name, ident in stems.items():
                message = message.replace(name, ident)
        fixable = f["fix"]["applicability"] if f["fix"] else "none"
        out.setdefault(stems[Path(f["filename"]).name], set()).add(_key(
            f["code"], f["location"]["row"], f["location"]["column"], f["end_location"]["row"],
            f["end_location"]["column"], message, f["severity"], fixable))
    return out


def _by_id(findings: pd.DataFrame) -> dict[str, set]:
    out: dict[str, set] = {}
    for r in findings.itertuples(index=False):
        out.setdefault(r.id, set()).add(_key(r.code, r.line, r.column, r.end_line, r.end_column,
                                             r.message, r.severity, r.fixable))
    return out


def _check_duplicates(found: dict[str, set]) -> None:
    for group in (SHARED, PAIR):
        ids = [_id(i) for i in group]
        for ident in ids:
            hl002 = [k for k in found[ident] if k[0] == "HL002"]
            others = ", ".join(o for o in ids if o != ident)
            assert [k[5] for k in hl002] == [f"The same headline as {others}"]
    flagged = {ident for ident, keys in found.items() if any(k[0] == "HL002" for k in keys)}
    assert flagged == {_id(i) for i in [*SHARED, *PAIR]}


def test_bag_matches_the_cli(client, expected):
    # Four partitions of five: the three shared headlines (3, 11, 18) and the
    # pair (6, 14) are each spread over different partitions.
    bag = db.from_sequence([(i, t, p) for i, t, p in ARTICLES], npartitions=4)
    findings = artlint_dask.lint_bag(bag)
    assert isinstance(findings, dd.DataFrame)
    assert list(findings.columns) == list(artlint_dask.FINDING_COLUMNS)
    result = findings.compute()
    assert list(result.dtypes) == list(findings._meta.dtypes)
    found = _by_id(result)
    assert found == expected
    _check_duplicates(found)
    assert {"WS001", "BP001", "WS007", "HL002"} <= {k[0] for keys in found.values() for k in keys}


def test_dataframe_with_config_and_dicts(client, expected):
    frame = pd.DataFrame(ARTICLES, columns=["doc_id", "body", "path"])
    df = dd.from_pandas(frame, npartitions=3)
    found = _by_id(artlint_dask.lint_dataframe(df, id_column="doc_id", text_column="body",
                                               path_column="path").compute())
    assert found == expected

    # A config dict and a selection, on a bag of dicts whose kind comes from path_suffix.
    bag = db.from_sequence([{"id": i, "text": t} for i, t, _ in ARTICLES], npartitions=3)
    config = {"select": ["BP", "HL", "WS001"], "ignore": ["BP001"], "severity": {"HL002": "error"}}
    result = artlint_dask.lint_bag(bag, config=config, path_suffix=".txt").compute()
    codes = set(result["code"])
    assert {"WS001", "HL002"} <= codes and "BP001" not in codes
    assert all(c.startswith(("BP", "HL")) or c == "WS001" for c in codes)
    assert set(result.loc[result["code"] == "HL002", "severity"]) == {"error"}
    _check_duplicates(_by_id(result))
    # ``select`` replaces the config's selection, as --select does.
    result = artlint_dask.lint_bag(bag, config=config, select=["HL002"], path_suffix=".txt").compute()
    assert set(result["code"]) == {"HL002"}


def test_bad_config_fails_before_anything_runs():
    bag = db.from_sequence(ARTICLES[:2], npartitions=1)
    with pytest.raises(ConfigError, match="unknown key"):
        artlint_dask.lint_bag(bag, config={"selekt": ["WS"]})


def test_ids_keep_their_dtype_and_groups_name_up_to_three(client):
    texts = [f"# The same headline on many pages\n\nStory {i}.\n" for i in range(5)]
    bag = db.from_sequence(list(enumerate(texts)), npartitions=2)
    found = artlint_dask.lint_bag(bag, id_dtype="int64").compute()
    assert str(found["id"].dtype) == "int64"
    hl002 = dict(zip(found.loc[found["code"] == "HL002", "id"], found.loc[found["code"] == "HL002", "message"]))
    others = {i: [str(o) for o in range(5) if o != i] for i in range(5)}
    assert hl002 == {i: f"The same headline as {', '.join(others[i][:3])} and 1 more" for i in range(5)}
    # By default ids become strings (Parquet-friendly).
    found = artlint_dask.lint_bag(bag).compute()
    assert set(found["id"]) == {"0", "1", "2", "3", "4"}
