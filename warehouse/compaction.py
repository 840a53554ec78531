"""Compaction: observations that only confirm an unchanged price are folded into the interval they confirm.

An observation of a catalogue source is folded when its snapshot is not the source's newest applied one
(the guard and the next load compare against that), and a price interval of the same model, provider and
price hash holds its time without having been opened by it. The fold keeps the first and last confirming
snapshot and their count (`observation_folds`); `raw_snapshots.n_folded` keeps the per-snapshot count so
`n_records` still adds up. Intervals, their opening and closing snapshots, and the raw bytes are untouched;
`tokentide reparse` rebuilds every observation from the raw bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

import duckdb

from tokentide.warehouse.snapshots import read_payload

_LATEST_SQL = """
SELECT snapshot_id FROM (
    SELECT snapshot_id, row_number() OVER (PARTITION BY source ORDER BY as_of DESC, snapshot_id DESC) AS rank
    FROM raw_snapshots WHERE status = 'applied') WHERE rank = 1
"""

_CANDIDATES_SQL = f"""
CREATE OR REPLACE TEMP TABLE tt_fold AS
SELECT o.snapshot_id, o.source, o.model_id, o.source_provider, o.observed_at, o.price_hash,
       i.valid_from AS interval_valid_from
FROM observations o
JOIN raw_snapshots s ON s.snapshot_id = o.snapshot_id AND s.status = 'applied'
JOIN price_intervals i ON i.source = o.source AND i.model_id = o.model_id
     AND i.source_provider = o.source_provider AND i.price_hash = o.price_hash
     AND i.valid_from <= o.observed_at AND (i.valid_to IS NULL OR o.observed_at < i.valid_to)
     AND i.opened_by_snapshot <> o.snapshot_id
WHERE o.source IN (SELECT unnest(CAST(? AS VARCHAR[])))
  AND o.snapshot_id NOT IN ({_LATEST_SQL})
"""  # noqa: S608 - constant SQL; the source list is bound

_UPSERT_FOLDS_SQL = """
INSERT INTO observation_folds
SELECT source, model_id, source_provider, price_hash, interval_valid_from, min(observed_at), max(observed_at),
       arg_min(snapshot_id, observed_at), arg_max(snapshot_id, observed_at), count(*)
FROM tt_fold GROUP BY source, model_id, source_provider, price_hash, interval_valid_from
ON CONFLICT DO UPDATE SET
    first_snapshot_id = CASE WHEN excluded.first_seen_at < first_seen_at THEN excluded.first_snapshot_id
                             ELSE first_snapshot_id END,
    last_snapshot_id = CASE WHEN excluded.last_seen_at > last_seen_at THEN excluded.last_snapshot_id
                            ELSE last_snapshot_id END,
    first_seen_at = least(first_seen_at, excluded.first_seen_at),
    last_seen_at = greatest(last_seen_at, excluded.last_seen_at),
    n_observations = n_observations + excluded.n_observations
"""

_COUNT_SNAPSHOTS_SQL = """
UPDATE raw_snapshots SET n_folded = coalesce(n_folded, 0) + f.n, revision = coalesce(revision, 0) + 1
FROM (SELECT snapshot_id, count(*) AS n FROM tt_fold GROUP BY snapshot_id) f
WHERE raw_snapshots.snapshot_id = f.snapshot_id
"""

_DELETE_SQL = """
DELETE FROM observations o USING tt_fold f
WHERE o.snapshot_id = f.snapshot_id AND o.model_id = f.model_id AND o.source_provider = f.source_provider
  AND o.observed_at = f.observed_at
"""


@dataclass(frozen=True)
class CompactionResult:
    observations_before: int
    observations_after: int
    folded: int  # observations folded by this run
    snapshots: int  # snapshots that had observations folded by this run
    intervals: int
    fold_rows: int  # rows of observation_folds after the run

    def summary_line(self) -> str:
        return (
            f"compacted: folded {self.folded:,} observations of {self.snapshots:,} snapshots; observations "
            f"{self.observations_before:,} -> {self.observations_after:,} for {self.intervals:,} price intervals "
            f"({self.fold_rows:,} fold rows); raw snapshots kept"
        )


def _count(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = conn.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _fold(conn: duckdb.DuckDBPyConnection, sources: list[str]) -> tuple[int, int]:
    conn.execute(_CANDIDATES_SQL, [sources])
    folded = _count(conn, "SELECT count(*) FROM tt_fold")
    snapshots = _count(conn, "SELECT count(DISTINCT snapshot_id) FROM tt_fold")
    if folded:
        conn.execute(_UPSERT_FOLDS_SQL)
        conn.execute(_COUNT_SNAPSHOTS_SQL)
        conn.execute(_DELETE_SQL)
    conn.execute("DROP TABLE tt_fold")
    return folded, snapshots


def compact(conn: duckdb.DuckDBPyConnection, sources: Iterable[str]) -> CompactionResult:
    """Fold confirming observations of the given catalogue sources, in one transaction. Which sources are
    catalogues is the source registry's word: `tokentide.collectors.loading.compact` asks it."""
    sources = sorted(set(sources))
    before = _count(conn, "SELECT count(*) FROM observations")
    conn.execute("BEGIN TRANSACTION")
    try:
        folded, snapshots = _fold(conn, sources) if sources else (0, 0)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return CompactionResult(
        observations_before=before,
        observations_after=_count(conn, "SELECT count(*) FROM observations"),
        folded=folded,
        snapshots=snapshots,
        intervals=_count(conn, "SELECT count(*) FROM price_intervals"),
        fold_rows=_count(conn, "SELECT count(*) FROM observation_folds"),
    )


def forget_folds(conn: duckdb.DuckDBPyConnection, source: str) -> None:
    """After every observation of a source was rebuilt from raw (reparse, restore): nothing is folded."""
    conn.execute("DELETE FROM observation_folds WHERE source = ?", [source])
    conn.execute("UPDATE raw_snapshots SET n_folded = 0 WHERE source = ? AND n_folded > 0", [source])


def restore_folded(conn: duckdb.DuckDBPyConnection, module: ModuleType) -> int:
    """Re-insert the folded observations of a source (its parser module) from its raw snapshots, before a
    replay needs every snapshot's rows (an older snapshot arrived late); returns the snapshots restored."""
    from tokentide.warehouse.load import insert_observations, normalise_with, parse_with  # load imports us

    source = str(module.SOURCE)
    rows = conn.execute(
        "SELECT snapshot_id, as_of FROM raw_snapshots WHERE source = ? AND n_folded > 0 ORDER BY snapshot_id",
        [source],
    ).fetchall()
    for snapshot_id, as_of in rows:
        data = normalise_with(parse_with(module, read_payload(conn, int(snapshot_id)), as_of), as_of, module.KIND)
        conn.execute("DELETE FROM observations WHERE snapshot_id = ?", [snapshot_id])
        insert_observations(conn, int(snapshot_id), source, data)
        conn.execute("UPDATE raw_snapshots SET revision = coalesce(revision, 0) + 1 WHERE snapshot_id = ?",
                     [snapshot_id])  # fmt: skip
    if rows:
        forget_folds(conn, source)
    return len(rows)
