"""Keep a backfilled source current from `tokentide schedule`: one more job that loads new releases only."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tokentide.collectors.backfill import (
    AS_OF_BASIS,
    BACKFILL_SOURCES,
    KIND,
    BackfillOptions,
    PackageSource,
    Tally,
    finished_origins,
    plan,
    run_backfill,
)
from tokentide.collectors.fetching import make_client
from tokentide.settings.config import GuardSettings
from tokentide.warehouse.connection import writer

log = logging.getLogger(__name__)
JOB_PREFIX = "backfill "


def newest_backfilled_at(conn: duckdb.DuckDBPyConnection, source: str) -> datetime | None:
    """Upload time of the newest release a backfill loaded, or None when none ever ran."""
    row = conn.execute(
        "SELECT max(as_of) FROM raw_snapshots WHERE source = ? AND as_of_basis = ? AND status = 'applied'",
        [source, AS_OF_BASIS],
    ).fetchone()
    return row[0] if row and row[0] is not None else None


def has_backfill(conn: duckdb.DuckDBPyConnection, source: str) -> bool:
    row = conn.execute("SELECT count(*) FROM runs WHERE kind = ? AND source = ?", [KIND, source]).fetchone()
    return bool(row and row[0])


def keep_current(db: Path, spec: PackageSource, options: BackfillOptions, guard: GuardSettings) -> Tally:
    """Load releases uploaded since the newest one already loaded (every release, oldest first)."""
    with writer(db) as conn:
        since, done = newest_backfilled_at(conn, spec.source), finished_origins(conn, spec.source)
    with make_client(timeout_seconds=60.0) as client:
        todo = plan(client, spec, replace(options, since=since, until=None, every="release"), done)
        with writer(db) as conn:
            return run_backfill(conn, client, spec, todo, options, guard)


def add_jobs(
    scheduler: BaseScheduler, db: Path, options: BackfillOptions, guard: GuardSettings, every_seconds: float
) -> list[str]:
    """One interval job per source that was backfilled before; returns the job ids."""
    with writer(db) as conn:
        sources = [spec for spec in BACKFILL_SOURCES.values() if has_backfill(conn, spec.source)]
    ids = []
    for spec in sources:
        job_id = JOB_PREFIX + spec.source
        scheduler.add_job(
            _job, IntervalTrigger(seconds=every_seconds), args=[db, spec, options, guard], id=job_id,
            name=f"keep the {spec.source} backfill current", next_run_time=datetime.now(UTC),
        )  # fmt: skip
        ids.append(job_id)
    return ids


def _job(db: Path, spec: PackageSource, options: BackfillOptions, guard: GuardSettings) -> None:
    try:
        tally = keep_current(db, spec, options, guard)
    except Exception as exc:  # a raising job is logged and the schedule goes on
        log.error("backfill %s: %s: %s", spec.source, type(exc).__name__, exc)
        print(f"error: backfill {spec.source}: {type(exc).__name__}: {exc}".replace("\n", " "), flush=True)
        return
    print(tally.summary_line(spec.source, 0), flush=True)
