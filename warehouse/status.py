"""What `tokentide status` reports: per-source health plus warehouse size and schema version."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from tokentide.warehouse.migrations_runner import latest_version, schema_version


@dataclass(frozen=True)
class SourceStatus:
    source: str
    last_run_at: datetime | None
    last_run_status: str | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    snapshots: int
    snapshots_guarded: int
    snapshots_failed: int
    observations: int
    current_models: int
    quarantined_rows: int
    data_as_of: datetime | None
    unfinished_runs: int = 0  # runs still going, or cut off by a crash (SIGKILL, power loss)
    benchmark_scores: int = 0  # score rows (score sources: epoch-benchmarks, artificial-analysis)


@dataclass(frozen=True)
class WarehouseStatus:
    db_path: str
    db_bytes: int
    schema_version: int
    schema_version_expected: int
    sources: list[SourceStatus]

    def to_json_dict(self) -> dict[str, Any]:
        """Timestamps as ISO 8601 UTC (`...Z`), everything else as is."""
        return _iso_times(asdict(self))


def _iso_times(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, dict):
        return {k: _iso_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_times(v) for v in value]
    return value


_SCORES_CTE = "scores AS (SELECT source, count(*) AS n FROM benchmark_scores GROUP BY source)"
_NO_SCORES_CTE = "scores AS (SELECT CAST(NULL AS VARCHAR) AS source, 0 AS n WHERE false)"  # before migration 5
_SOURCE_SQL = """
WITH names AS (
    SELECT source FROM raw_snapshots UNION SELECT source FROM runs
), snaps AS (
    SELECT source, count(*) AS n, count(*) FILTER (WHERE status = 'guarded') AS guarded,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           max(as_of) FILTER (WHERE status = 'applied') AS data_as_of
    FROM raw_snapshots GROUP BY source
), obs AS (  -- from the snapshot metadata (read copies leave the observation rows out, read_copy.py);
            -- a score snapshot's n_records counts its benchmark scores, taken off below
    SELECT source, sum(coalesce(n_records, 0) - coalesce(n_folded, 0)) AS n FROM raw_snapshots
    WHERE status = 'applied' GROUP BY source
),
cur AS (SELECT source, count(DISTINCT model_id) AS n FROM price_intervals WHERE valid_to IS NULL GROUP BY source),
quar AS (SELECT source, count(*) AS n FROM quarantine GROUP BY source),
{scores_cte},
last_run AS (
    SELECT source, arg_max(status, run_id) AS status, max(started_at) AS at,
           count(*) FILTER (WHERE status = 'running') AS unfinished
    FROM runs GROUP BY source
),
ok AS (
    SELECT source, max(coalesce(finished_at, started_at)) AS at FROM runs
    WHERE status IN ('ok', 'unchanged') GROUP BY source
),
err AS (
    SELECT source, arg_max(error, run_id) AS error, max(coalesce(finished_at, started_at)) AS at FROM runs
    WHERE status IN ('failed', 'guarded') GROUP BY source
)
SELECT names.source, last_run.at, last_run.status, ok.at, err.at, err.error,
       coalesce(snaps.n, 0), coalesce(snaps.guarded, 0), coalesce(snaps.failed, 0),
       coalesce(obs.n, 0) - coalesce(scores.n, 0),
       coalesce(cur.n, 0), coalesce(quar.n, 0), snaps.data_as_of, coalesce(last_run.unfinished, 0),
       coalesce(scores.n, 0)
FROM names LEFT JOIN snaps USING (source) LEFT JOIN obs USING (source) LEFT JOIN cur USING (source)
LEFT JOIN quar USING (source) LEFT JOIN scores USING (source) LEFT JOIN last_run USING (source)
LEFT JOIN ok USING (source)
LEFT JOIN err USING (source)
ORDER BY names.source
"""


def warehouse_status(conn: duckdb.DuckDBPyConnection, db_path: Path) -> WarehouseStatus:
    try:
        rows = conn.execute(_SOURCE_SQL.format(scores_cte=_SCORES_CTE)).fetchall()
    except duckdb.CatalogException:  # a published copy from before the benchmark_scores table
        rows = conn.execute(_SOURCE_SQL.format(scores_cte=_NO_SCORES_CTE)).fetchall()
    sources = [SourceStatus(*row) for row in rows]
    size = db_path.stat().st_size if db_path.exists() else 0
    wal = db_path.with_name(db_path.name + ".wal")
    size += wal.stat().st_size if wal.exists() else 0
    return WarehouseStatus(str(db_path), size, schema_version(conn), latest_version(), sources)
