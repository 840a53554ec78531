"""Benchmark scores: parsed score records -> the benchmark_scores table (with provenance), and reading them back."""

from __future__ import annotations

from functools import lru_cache

import duckdb
import pandas as pd
import pyarrow as pa

from tokentide.warehouse.naming import canonical_model_id, reference, reference_rows
from tokentide.warehouse.observations import decimal_text
from tokentide.warehouse.records import BenchmarkScore

ALIAS_FILE = "benchmark_aliases.csv"
SCORE_COLUMNS: tuple[str, ...] = (
    "snapshot_id", "source", "model_id", "canonical_model_id", "model_name", "author", "author_country", "benchmark",
    "score", "release_date", "usd_per_mtok_blended", "is_reasoning", "source_url", "captured_at", "sha256",
)  # fmt: skip
_INCOMING = pa.schema(
    [
        ("model_id", pa.string()), ("canonical_model_id", pa.string()), ("model_name", pa.string()),
        ("author", pa.string()), ("benchmark", pa.string()), ("score", pa.float64()), ("release_date", pa.date32()),
        ("usd_per_mtok_blended", pa.string()), ("is_reasoning", pa.bool_()), ("source_url", pa.string()),
    ]
)  # fmt: skip


@lru_cache(maxsize=1)
def score_aliases() -> dict[str, str]:
    """Names score sources use -> the canonical id the price sources share (reference/benchmark_aliases.csv)."""
    rows = reference_rows(ALIAS_FILE)
    return {
        r["source_name"].strip().lower(): r["canonical_model_id"].strip()
        for r in rows
        if (r.get("source_name") or "").strip() and (r.get("canonical_model_id") or "").strip()
    }


def score_model_id(model_id: str) -> str:
    """The canonical id of a scored model: the explicit alias table first, else the id normaliser."""
    return score_aliases().get(model_id.strip().lower()) or canonical_model_id(model_id)


def _incoming(scores: list[BenchmarkScore]) -> pa.Table:
    names = reference()
    columns: dict[str, list[object]] = {name: [] for name in _INCOMING.names}
    for s in scores:
        canonical = score_model_id(s.model_id)
        values = (
            s.model_id, canonical, s.model_name, names.author(s.author_hint, canonical), s.benchmark, s.score,
            s.release_date, decimal_text(s.usd_per_mtok_blended), s.is_reasoning, s.source_url,
        )  # fmt: skip
        for name, value in zip(_INCOMING.names, values, strict=True):
            columns[name].append(value)
    return pa.table(columns, schema=_INCOMING)


def insert_scores(conn: duckdb.DuckDBPyConnection, snapshot_id: int, source: str, scores: list[BenchmarkScore]) -> int:
    """Store a snapshot's scores, each carrying its raw snapshot's url, capture time and sha256."""
    if not scores:
        return 0
    conn.register("incoming_scores", _incoming(scores))
    try:
        conn.execute(
            "INSERT INTO benchmark_scores SELECT r.snapshot_id, ?, i.model_id, i.canonical_model_id, i.model_name, "
            "i.author, i.benchmark, i.score, i.release_date, CAST(i.usd_per_mtok_blended AS DECIMAL(24, 9)), "
            "i.is_reasoning, coalesce(i.source_url, r.origin), r.fetched_at, r.sha256 "
            "FROM incoming_scores i CROSS JOIN (SELECT * FROM raw_snapshots WHERE snapshot_id = ?) r",
            [source, snapshot_id],
        )
    finally:
        conn.unregister("incoming_scores")
    return len(scores)


def scores_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current scores: for each source, model, benchmark and release date, the newest applied snapshot's
    statement (so files of one source add up, a newer copy of a file replaces its rows, and a model listed
    again with a later date and price, a price cut, stays a row of its own)."""
    try:
        frame = conn.execute(
            "SELECT s.snapshot_id, s.source, s.model_id, s.canonical_model_id, s.model_name, s.author, "
            "a.country AS author_country, s.benchmark, s.score, s.release_date, "
            "CAST(s.usd_per_mtok_blended AS DOUBLE) AS usd_per_mtok_blended, s.is_reasoning, s.source_url, "
            "s.captured_at, s.sha256 FROM benchmark_scores s "
            "JOIN raw_snapshots r ON r.snapshot_id = s.snapshot_id AND r.status = 'applied' "
            "LEFT JOIN ref_authors a ON a.author = s.author "
            "QUALIFY row_number() OVER (PARTITION BY s.source, s.model_id, s.benchmark, s.release_date "
            "ORDER BY r.as_of DESC, s.snapshot_id DESC) = 1 "
            "ORDER BY s.source, s.benchmark, s.release_date, s.model_id"
        ).df()
    except duckdb.CatalogException:  # a published copy from before migration 5
        return empty_scores()
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    return frame


def empty_scores() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in SCORE_COLUMNS})
