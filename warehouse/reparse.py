"""Re-parse stored raw snapshots with the current parsers: a parser fix never needs a re-fetch."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import duckdb

from tokentide.warehouse import snapshots
from tokentide.warehouse.compaction import forget_folds
from tokentide.warehouse.intervals import rebuild_history, replay_catalogue
from tokentide.warehouse.load import insert_observations, insert_quarantine, parse_with, upsert_facts
from tokentide.warehouse.naming import reference
from tokentide.warehouse.observations import normalise
from tokentide.warehouse.records import PayloadError
from tokentide.warehouse.runs import RunCounts, finish_run, start_run
from tokentide.warehouse.scores import insert_scores


@dataclass(frozen=True)
class ReparseOutcome:
    source: str
    snapshots: int
    observations: int
    quarantined: int
    failed: int
    intervals: int

    def summary_line(self) -> str:
        return (
            f"reparsed {self.source}: {self.snapshots} snapshots, {self.observations} observations, "
            f"{self.quarantined} quarantined, {self.failed} failed, {self.intervals} intervals"
        )


def _reparse_source(conn: duckdb.DuckDBPyConnection, source: str, module: ModuleType) -> ReparseOutcome:
    rows = conn.execute(
        "SELECT snapshot_id, as_of, status FROM raw_snapshots WHERE source = ? AND status IN ('applied', 'failed') "
        "ORDER BY as_of, snapshot_id",
        [source],
    ).fetchall()
    conn.execute("DELETE FROM observations WHERE source = ?", [source])
    conn.execute("DELETE FROM quarantine WHERE source = ?", [source])
    conn.execute("DELETE FROM model_facts WHERE source = ?", [source])
    conn.execute("DELETE FROM benchmark_scores WHERE source = ?", [source])
    forget_folds(conn, source)  # every observation comes back from the raw bytes below
    totals = {"observations": 0, "quarantined": 0, "failed": 0}
    latest_applied: int | None = None
    for snapshot_id, as_of, _status in rows:
        raw = snapshots.read_payload(conn, int(snapshot_id))
        try:
            result = parse_with(module, raw, as_of)
        except PayloadError as exc:
            snapshots.update_status(conn, int(snapshot_id), "failed", str(exc), module.PARSER_VERSION, (0, 0, 0))
            totals["failed"] += 1
            continue
        data = normalise(result.records, result.facts, reference(), as_of, history=module.KIND == "history")
        quarantined = [*result.quarantined, *data.duplicates]
        counts = (result.n_read, data.observations.num_rows + len(result.scores), len(quarantined))
        snapshots.update_status(conn, int(snapshot_id), "applied", None, module.PARSER_VERSION, counts)
        insert_observations(conn, int(snapshot_id), source, data)
        insert_quarantine(conn, int(snapshot_id), source, quarantined)
        upsert_facts(conn, int(snapshot_id), source, data)
        insert_scores(conn, int(snapshot_id), source, result.scores)
        totals["observations"] += data.observations.num_rows
        totals["quarantined"] += len(quarantined)
        latest_applied = int(snapshot_id)
    if module.KIND == "history":
        if latest_applied is not None:
            rebuild_history(conn, source, latest_applied)
        else:
            conn.execute("DELETE FROM price_intervals WHERE source = ?", [source])
    elif module.KIND == "catalogue":
        replay_catalogue(conn, source)
    count = conn.execute("SELECT count(*) FROM price_intervals WHERE source = ?", [source]).fetchone()
    return ReparseOutcome(
        source,
        len(rows),
        totals["observations"],
        totals["quarantined"],
        totals["failed"],
        int(count[0]) if count else 0,
    )


def reparse_source(conn: duckdb.DuckDBPyConnection, source: str, parser: ModuleType) -> ReparseOutcome:
    """All of one source's applied and failed snapshots, in one transaction; guarded ones stay held.

    The caller passes the source's parser module (see `tokentide.collectors.loading`).
    """
    run_id = start_run(conn, "reparse", source, None)
    conn.execute("BEGIN TRANSACTION")
    try:
        outcome = _reparse_source(conn, source, parser)
        conn.execute("COMMIT")
    except BaseException as exc:
        conn.execute("ROLLBACK")
        finish_run(conn, run_id, RunCounts("failed", error=f"{type(exc).__name__}: {exc}"[:2000]))
        raise
    finish_run(
        conn,
        run_id,
        RunCounts(
            "ok",
            rows_read=outcome.snapshots,
            rows_added=outcome.observations,
            rows_quarantined=outcome.quarantined,
            intervals_opened=outcome.intervals,
        ),
    )
    return outcome


def stored_sources(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT DISTINCT source FROM raw_snapshots ORDER BY 1").fetchall()]
