"""Lint an archive of articles on a Dask cluster (``pip install 'artlint[dask]'``).

``lint_bag`` takes a Dask bag of ``(id, text)`` tuples (or ``(id, text,
path)``, or dicts with those keys), ``lint_dataframe`` a Dask DataFrame with an
id and a text column; both return a lazy Dask DataFrame of findings, one row
each (``FINDING_COLUMNS``), nothing computed until you ask::

    from distributed import Client
    import artlint.dask

    client = Client("tcp://scheduler:8786")
    findings = artlint.dask.lint_bag(bag, config={"ignore": ["WS004"]})
    findings.to_parquet("findings/")

Each partition builds its settings once from the config dict and lints its
articles with the same code as ``artlint check`` (without fixing). Rules that
compare articles (HL002, the same headline on two articles) work across the
whole archive: each article yields its normalised headline key, the keys are
shuffled so that equal keys land in one partition, and every group of two or
more is reported on each member, naming the others, as the CLI does. No pair
of articles is ever compared.

This module is ``artlint.dask``; ``import dask`` below is the real Dask (the
artlint package imports its own modules relatively).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import dask
import dask.bag
import dask.dataframe
import pandas as pd

from .config import Layer, Settings, build_settings
from .document import Document
from .runner import Mode, check_bytes

__all__ = ["FINDING_COLUMNS", "findings_meta", "lint_bag", "lint_dataframe"]

_STR = pd.StringDtype("pyarrow")
_INT = "int64"

# The columns of a finding, in order, and their dtypes (``id`` takes the
# articles' id dtype). ``fixable`` is the fix's applicability: "safe",
# "unsafe", "display-only", or "none" when the finding has no fix.
FINDING_COLUMNS: dict[str, Any] = {
    "id": object,
    "code": _STR,
    "name": _STR,
    "severity": _STR,
    "line": _INT,
    "column": _INT,
    "end_line": _INT,
    "end_column": _INT,
    "message": _STR,
    "fixable": _STR,
}
# What each partition yields: the findings plus one row per article and
# cross-file rule (``key`` set, ``message`` the rule's message template),
# with the article's place in the input (partition, row) to order groups.
_STAGE_COLUMNS: dict[str, Any] = {**FINDING_COLUMNS, "key": _STR, "part": _INT, "row": _INT}


def findings_meta(id_dtype: Any = object) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of the findings."""
    return _empty({**FINDING_COLUMNS, "id": id_dtype})


def _empty(columns: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in columns.items()})


def _frame(rows: list[tuple], columns: dict[str, Any]) -> pd.DataFrame:
    if not rows:
        return _empty(columns)
    df = pd.DataFrame.from_records(rows, columns=list(columns))
    return df.astype(columns)


# ----------------------------------------------------------------- settings
def _layer(select: Sequence[str] | None) -> Layer:
    if isinstance(select, str):
        select = [select]
    return Layer(select=tuple(select) if select is not None else None)


def _settings(config: dict | None, root: str, select: tuple[str, ...] | None) -> Settings:
    return build_settings(dict(config or {}), Path(root), None, Layer(select=select))


# ------------------------------------------------------------ one partition
def _article_path(root: str, ident: Any, path: Any, suffix: str) -> str:
    """The path the rules see: it drives the kind (Markdown or text) and
    per-file-ignores (relative to ``root``, like a config's)."""
    if path is None or (not isinstance(path, str) and pd.isna(path)) or path == "":
        path = f"{ident}{suffix}"
    p = Path(str(path))
    return str(p if p.is_absolute() else Path(root) / p)


def _lint_articles(articles: Iterable[tuple[Any, Any, Any]], part: int, config: dict | None, root: str,
                   select: tuple[str, ...] | None, suffix: str, id_dtype: Any) -> pd.DataFrame:
    settings = _settings(config, root, select)
    mode = Mode()
    rows: list[tuple] = []
    for row, (ident, text, path) in enumerate(articles):
        if text is None or (not isinstance(text, (str, bytes)) and pd.isna(text)):
            text = ""
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        full = _article_path(root, ident, path, suffix)
        result = check_bytes(data, full, str(ident), settings, mode)
        pos = Document(None, result.text)
        for d in result.diagnostics:
            fixable = d.fix.applicability.value if d.fix is not None else "none"
            rows.append((ident, d.code, d.name, d.severity.value, *pos.position(d.span.start),
                         *pos.position(d.span.end), d.message, fixable, None, part, row))
        # Run notices (a grammar server that did not answer) are reported
        # per article here: there is no "first file of the run" on a cluster.
        for code, message in result.notices.items():
            if code in settings.enabled:
                meta = settings.registry.rules[code]
                rows.append((ident, code, meta.name, settings.severity.get(code, meta.severity).value,
                             1, 1, 1, 1, f"{message}; not checked", "none", None, part, row))
        for code, (key, span) in result.cross_keys.items():
            meta = settings.enabled[code]
            rows.append((ident, code, meta.name, settings.severity[code].value, *pos.position(span.start),
                         *pos.position(span.end), meta.cross_file_message, "none", key, part, row))
    return _frame(rows, {**_STAGE_COLUMNS, "id": id_dtype})


def _records(items: Iterable[Any]) -> Iterable[tuple[Any, Any, Any]]:
    for item in items:
        if isinstance(item, dict):
            yield item["id"], item.get("text"), item.get("path")
        else:
            item = tuple(item)
            if len(item) not in (2, 3):
                raise ValueError(f"an article is (id, text) or (id, text, path), not {len(item)} values")
            yield item[0], item[1], item[2] if len(item) == 3 else None


def _lint_bag_partition(items: Iterable[Any], part: int, *args: Any) -> pd.DataFrame:
    return _lint_articles(_records(items), part, *args)


def _lint_frame_partition(pdf: pd.DataFrame, id_column: str, text_column: str, path_column: str | None,
                          *args: Any, partition_info: dict | None = None) -> pd.DataFrame:
    part = partition_info["number"] if partition_info else 0
    paths = pdf[path_column] if path_column is not None else [None] * len(pdf)
    return _lint_articles(zip(pdf[id_column], pdf[text_column], paths), part, *args)


# --------------------------------------------------------- cross-file rules
def _report_groups(pdf: pd.DataFrame, id_dtype: Any) -> pd.DataFrame:
    """On a partition of the shuffled keys (every row of one key is in it):
    each group of two or more articles sharing a rule's key gets one finding
    per member naming the others (``runner.report_cross_file``'s message)."""
    rows: list[tuple] = []
    for _, group in pdf.groupby(["code", "key"], sort=False):
        if len(group) < 2:
            continue
        group = group.sort_values(["part", "row"], kind="stable")
        members = list(group.itertuples(index=False))
        for m in members:
            others = [str(o.id) for o in members if o is not m]
            shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
            rows.append((m.id, m.code, m.name, m.severity, m.line, m.column, m.end_line, m.end_column,
                         m.message.format(others=shown), "none"))
    return _frame(rows, {**FINDING_COLUMNS, "id": id_dtype})


def _assemble(stage: dask.dataframe.DataFrame, id_dtype: Any, shuffle_method: str | None):
    columns = list(FINDING_COLUMNS)
    no_key = stage["key"].isna()
    findings = stage[no_key][columns]
    keys = stage[~no_key]
    shuffled = keys.shuffle(on="key", shuffle_method=shuffle_method)
    duplicates = shuffled.map_partitions(_report_groups, id_dtype, meta=findings_meta(id_dtype),
                                         align_dataframes=False)
    return dask.dataframe.concat([findings, duplicates], ignore_index=True)


# ---------------------------------------------------------------- the API
def _check(config: dict | None, root: Path | str | None, select: Sequence[str] | None):
    root_s = str(Path(root if root is not None else Path.cwd()).absolute())
    layer = _layer(select)
    # Build the settings here once, so that a bad config fails now, not on a worker.
    _settings(config, root_s, layer.select)
    return dict(config or {}), root_s, layer.select


def lint_bag(bag: dask.bag.Bag, config: dict | None = None, select: Sequence[str] | None = None,
             path_suffix: str = ".md", root: Path | str | None = None, id_dtype: Any = "string",
             shuffle_method: str | None = None) -> dask.dataframe.DataFrame:
    """Lint a bag of articles: ``(id, text)`` or ``(id, text, path)`` tuples,
    or dicts with the keys ``id``, ``text`` and optionally ``path``.

    ``config`` holds the keys of an artlint config file (``{"select":
    ["WS"], "bp": {...}}``), ``select`` replaces its selection as ``--select``
    does. An article's path (else ``id + path_suffix``) decides whether it is
    Markdown or plain text and which ``per-file-ignores`` apply; relative
    paths, and the config's ``rule-paths``, are taken from ``root`` (default:
    the current folder), which must be readable on the workers for
    ``rule-paths``. ``text`` is a str or the file's bytes. Returns a lazy Dask
    DataFrame of findings (``FINDING_COLUMNS``), in no particular order;
    its ``id`` column has ``id_dtype`` (by default a string: ids are written
    with ``str``; pass ``"int64"`` for integer ids, ``object`` to keep any
    Python value, though Parquet cannot store that).
    """
    config, root_s, selected = _check(config, root, select)
    if id_dtype == "string":
        id_dtype = _STR
    args = (config, root_s, selected, path_suffix, id_dtype)
    parts = bag.to_delayed()
    lint = dask.delayed(_lint_bag_partition, pure=True)
    stage = dask.dataframe.from_delayed([lint(p, i, *args) for i, p in enumerate(parts)],
                                        meta=_empty({**_STAGE_COLUMNS, "id": id_dtype}), verify_meta=False)
    return _assemble(stage, id_dtype, shuffle_method)


def lint_dataframe(df: dask.dataframe.DataFrame, id_column: str = "id", text_column: str = "text",
                   path_column: str | None = None, config: dict | None = None,
                   select: Sequence[str] | None = None, path_suffix: str = ".md",
                   root: Path | str | None = None, shuffle_method: str | None = None) -> dask.dataframe.DataFrame:
    """Lint a Dask DataFrame of articles, one per row: ``id_column``,
    ``text_column`` and optionally ``path_column`` (see ``lint_bag`` for the
    other arguments). The findings' ``id`` column has the dtype of
    ``id_column``."""
    config, root_s, selected = _check(config, root, select)
    id_dtype = df._meta[id_column].dtype
    stage = df.map_partitions(
        _lint_frame_partition, id_column, text_column, path_column,
        config, root_s, selected, path_suffix, id_dtype,
        meta=_empty({**_STAGE_COLUMNS, "id": id_dtype}), align_dataframes=False,
    )
    return _assemble(stage, id_dtype, shuffle_method)
