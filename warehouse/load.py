"""Loading one payload: raw snapshot -> observations -> price intervals, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType
from typing import Any

import duckdb

from tokentide.warehouse import faults, snapshots
from tokentide.warehouse.asof import AsOf, break_tie, date_in_name, resolve_as_of
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.compaction import restore_folded
from tokentide.warehouse.guard import GuardSettings, guard_reason
from tokentide.warehouse.intervals import (
    IntervalChange,
    apply_catalogue_snapshot,
    rebuild_history,
    replay_catalogue,
)
from tokentide.warehouse.naming import reference
from tokentide.warehouse.observations import NormalisedRecords, normalise
from tokentide.warehouse.records import PRICE_FIELDS, BenchmarkScore, ParseResult, PayloadError, Quarantined
from tokentide.warehouse.runs import RunCounts, finish_run, start_run
from tokentide.warehouse.scores import insert_scores
from tokentide.warehouse.snapshots import Payload

PRICE_HASH_SQL = "md5(concat_ws('|', " + ", ".join(f"coalesce(CAST({p} AS VARCHAR), '?')" for p in PRICE_FIELDS) + "))"
_PRICES = ", ".join(PRICE_FIELDS)
_OBS_COLUMNS = (
    "snapshot_id, source, model_id, source_provider, provider, canonical_model_id, author, model_name, observed_at, "
    f"effective_to, {_PRICES}, price_state, price_hash, original_currency, original_unit, "
    "context_length, is_reasoning, is_open_weights, created_at, release_date, source_url, extra"
)
_CASTS = ", ".join(f"CAST({p} AS DECIMAL(24, 9)) AS {p}" for p in PRICE_FIELDS)
_FACT_FIELDS = ("model_id", "model_name", "author", "author_country", "family", "tier", "release_date",
                "is_reasoning", "is_open_weights", "source_url")  # fmt: skip
_SAME_FACT = " ".join(f"AND f.{c} IS NOT DISTINCT FROM g.{c}" for c in _FACT_FIELDS)
_UPSERT_FACTS_SQL = (
    "INSERT OR REPLACE INTO model_facts SELECT * FROM (SELECT ? AS source, canonical_model_id, "  # noqa: S608
    "min(model_id) AS model_id, ? AS snapshot_id, any_value(model_name) AS model_name, "
    "any_value(author) AS author, any_value(author_country) AS author_country, any_value(family) AS family, "
    "any_value(tier) AS tier, min(release_date) AS release_date, bool_or(is_reasoning) AS is_reasoning, "
    "bool_or(is_open_weights) AS is_open_weights, any_value(source_url) AS source_url "
    "FROM incoming_facts GROUP BY canonical_model_id) g WHERE NOT EXISTS (SELECT 1 FROM model_facts f "
    "WHERE f.source = g.source AND f.canonical_model_id = g.canonical_model_id " + _SAME_FACT + ")"
)


@dataclass(frozen=True)
class LoadOutcome:
    source: str
    origin: str
    status: str  # added | unchanged | guarded | failed
    snapshot_id: int | None = None
    as_of: datetime | None = None
    as_of_basis: str | None = None
    rows_read: int = 0
    rows_added: int = 0
    intervals_opened: int = 0
    intervals_closed: int = 0
    rows_quarantined: int = 0
    message: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def summary_line(self) -> str:
        when = f" as of {self.as_of:%Y-%m-%d %H:%M:%S} UTC ({self.as_of_basis})" if self.as_of else ""
        counts = (
            f"read {self.rows_read}, added {self.rows_added}, quarantined {self.rows_quarantined}, "
            f"intervals opened {self.intervals_opened} closed {self.intervals_closed}"
        )
        note = f" — {self.message}" if self.message else ""
        return f"{self.status}: {self.source} {self.origin}: {counts}{when}{note}"


def parse_with(module: ModuleType, raw: bytes, as_of: datetime | None) -> ParseResult:
    try:
        result: ParseResult = module.parse(raw, as_of=as_of)
    except PayloadError:
        raise
    except RecursionError as exc:
        raise PayloadError("payload nested too deeply to read") from exc
    except Exception as exc:  # a parser bug must not take the other files down
        raise PayloadError(f"parser {module.PARSER_VERSION} failed: {type(exc).__name__}: {exc}") from exc
    return result


def normalise_with(result: ParseResult, as_of: datetime, kind: str) -> NormalisedRecords:
    try:
        return normalise(result.records, result.facts, reference(), as_of, history=kind == "history")
    except Exception as exc:  # a value the parser let through but no column can hold: fail this file only
        raise PayloadError(f"records could not be stored: {type(exc).__name__}: {exc}") from exc


def insert_observations(conn: duckdb.DuckDBPyConnection, snapshot_id: int, source: str, data: NormalisedRecords) -> int:
    conn.register("incoming_observations", data.observations)
    try:
        conn.execute(
            f"INSERT INTO observations ({_OBS_COLUMNS}) "  # noqa: S608 - constant names; values bound
            f"SELECT ?, ?, model_id, source_provider, provider, canonical_model_id, author, model_name, "
            f"observed_at, effective_to, {_PRICES}, price_state, {PRICE_HASH_SQL}, original_currency, original_unit, "
            f"context_length, is_reasoning, is_open_weights, created_at, release_date, source_url, extra "
            f"FROM (SELECT * EXCLUDE ({_PRICES}), {_CASTS} FROM incoming_observations)",
            [snapshot_id, source],
        )
    finally:
        conn.unregister("incoming_observations")
    return data.observations.num_rows


def upsert_facts(conn: duckdb.DuckDBPyConnection, snapshot_id: int, source: str, data: NormalisedRecords) -> None:
    """The newest statement of each source about a model replaces its older one when it says something else
    (write only on change: `snapshot_id` is the snapshot that first said it so)."""
    if data.facts.num_rows == 0:
        return
    conn.register("incoming_facts", data.facts)
    try:
        conn.execute(_UPSERT_FACTS_SQL, [source, snapshot_id])
    finally:
        conn.unregister("incoming_facts")


def insert_quarantine(conn: duckdb.DuckDBPyConnection, snapshot_id: int, source: str, rows: list[Quarantined]) -> None:
    """One statement for all rows (executemany costs a round trip per row: a bad payload can hold thousands)."""
    if rows:
        conn.execute(
            "INSERT INTO quarantine SELECT ?, ?, unnest(CAST(? AS VARCHAR[])), unnest(CAST(? AS VARCHAR[])), "
            "unnest(CAST(? AS VARCHAR[])), unnest(CAST(? AS VARCHAR[])), ?",
            [
                snapshot_id,
                source,
                [q.record_key for q in rows],
                [q.reason for q in rows],
                [q.raw_value for q in rows],
                [q.record_json for q in rows],
                utc_now(),
            ],
        )


def update_intervals(
    conn: duckdb.DuckDBPyConnection, module: ModuleType, snapshot_id: int, as_of: datetime
) -> IntervalChange:
    if module.KIND == "history":
        return rebuild_history(conn, module.SOURCE, snapshot_id)
    if module.KIND != "catalogue":
        return IntervalChange()
    newer = conn.execute(
        "SELECT count(*) FROM raw_snapshots WHERE source = ? AND status = 'applied' AND as_of > ?",
        [module.SOURCE, as_of],
    ).fetchone()
    if newer and newer[0]:
        restore_folded(conn, module)  # the replay needs every snapshot's rows, folded ones too
        return replay_catalogue(conn, module.SOURCE)  # an older snapshot arrived late
    return apply_catalogue_snapshot(conn, module.SOURCE, snapshot_id, as_of)


def _interval_counts(conn: duckdb.DuckDBPyConnection, snapshot_id: int) -> tuple[int, int]:
    row = conn.execute(
        "SELECT count(*) FILTER (WHERE opened_by_snapshot = ?), count(*) FILTER (WHERE closed_by_snapshot = ?) "
        "FROM price_intervals",
        [snapshot_id, snapshot_id],
    ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _store_unapplied(
    conn: duckdb.DuckDBPyConnection,
    payload: Payload,
    reuse: snapshots.StoredSnapshot | None,
    as_of: AsOf,
    parser_version: str,
    status: str,
    reason: str,
    counts: tuple[int, int, int],
) -> int:
    """Keep the raw bytes of a payload that is not applied (failed or guarded)."""
    if reuse is not None:
        snapshots.update_status(conn, reuse.snapshot_id, status, reason, parser_version, counts)
        return reuse.snapshot_id
    return snapshots.insert_snapshot(
        conn,
        payload,
        as_of=as_of.at,
        as_of_basis=as_of.basis,
        parser_version=parser_version,
        status=status,
        status_reason=reason,
        counts=counts,
    )


def _already_loaded(
    conn: duckdb.DuckDBPyConnection, payload: Payload, same: list[snapshots.StoredSnapshot]
) -> snapshots.StoredSnapshot | None:
    """The applied snapshot holding these exact bytes, unless this is a price reverting to them."""
    applied = [s for s in same if s.status == "applied"]
    if not applied:
        return None
    latest = snapshots.latest_applied(conn, payload.source)
    if latest is not None and applied[0].snapshot_id == latest.snapshot_id:
        return applied[0]
    when = payload.as_of or date_in_name(payload.origin)  # a dated file counts like an explicit --as-of
    reverting = when is not None and latest is not None and when > latest.as_of
    return None if reverting else applied[0]


def _apply(
    conn: duckdb.DuckDBPyConnection,
    module: ModuleType,
    payload: Payload,
    reuse: snapshots.StoredSnapshot | None,
    as_of: AsOf,
    data: NormalisedRecords,
    quarantined: list[Quarantined],
    counts: tuple[int, int, int],
    scores: list[BenchmarkScore] | None = None,
) -> int:
    conn.execute("BEGIN TRANSACTION")
    try:
        snapshot_id = _store_unapplied(conn, payload, reuse, as_of, module.PARSER_VERSION, "applied", "", counts)
        if reuse is not None:
            snapshots.update_status(conn, snapshot_id, "applied", None, module.PARSER_VERSION, counts, as_of=as_of.at)
        insert_observations(conn, snapshot_id, module.SOURCE, data)
        faults.maybe_die("mid-load")
        insert_quarantine(conn, snapshot_id, module.SOURCE, quarantined)
        upsert_facts(conn, snapshot_id, module.SOURCE, data)
        insert_scores(conn, snapshot_id, module.SOURCE, scores or [])
        update_intervals(conn, module, snapshot_id, as_of.at)
        faults.maybe_die("before-commit")
        conn.execute("COMMIT")
        faults.maybe_die("after-commit")  # committed, but the run log still says 'running'
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return snapshot_id


def _load(
    conn: duckdb.DuckDBPyConnection, module: ModuleType, payload: Payload, guard: GuardSettings, force: bool
) -> LoadOutcome:
    base: dict[str, Any] = {"source": payload.source, "origin": payload.origin}
    same = snapshots.find_same_bytes(conn, payload.source, payload.sha256)
    loaded = _already_loaded(conn, payload, same)
    if loaded is not None:
        return LoadOutcome(
            **base,
            status="unchanged",
            snapshot_id=loaded.snapshot_id,
            as_of=loaded.as_of,
            as_of_basis="as first loaded",
            message=f"same bytes already loaded as snapshot {loaded.snapshot_id}",
        )
    guarded = next((s for s in same if s.status == "guarded"), None)
    if guarded is not None and not force:
        return LoadOutcome(
            **base,
            status="guarded",
            snapshot_id=guarded.snapshot_id,
            as_of=guarded.as_of,
            message=f"already stored and guarded ({guarded.status_reason}); use --force to apply it",
        )
    reuse = guarded or next((s for s in same if s.status == "failed"), None)
    file_date = date_in_name(payload.origin) if payload.as_of is None else None
    try:
        result = parse_with(module, payload.raw, payload.as_of or file_date or payload.fetched_at)
        as_of = break_tie(
            conn,
            payload.source,
            resolve_as_of(payload.as_of, file_date, result.as_of_hint, payload.fetched_at, payload.as_of_basis),
        )
        data = normalise_with(result, as_of.at, module.KIND)
    except PayloadError as exc:
        as_of = resolve_as_of(payload.as_of, file_date, None, payload.fetched_at, payload.as_of_basis)
        snapshot_id = _store_unapplied(
            conn, payload, reuse, as_of, module.PARSER_VERSION, "failed", str(exc), (0, 0, 0)
        )
        return LoadOutcome(**base, status="failed", snapshot_id=snapshot_id, message=str(exc))
    quarantined = [*result.quarantined, *data.duplicates]
    counts = (result.n_read, data.observations.num_rows + len(result.scores), len(quarantined))
    outcome: dict[str, Any] = {
        **base,
        "as_of": as_of.at,
        "as_of_basis": as_of.basis,
        "rows_read": result.n_read,
        "rows_quarantined": len(quarantined),
        "warnings": tuple(result.warnings),
    }
    reason = None
    if not force and module.KIND in ("catalogue", "history"):
        reason = (
            guard_reason(conn, payload.source, as_of.at, data.keys, guard)
            if module.KIND == "catalogue"
            else (None if data.observations.num_rows else "empty history (0 priced rows)")
        )
    if reason:
        snapshot_id = _store_unapplied(conn, payload, reuse, as_of, module.PARSER_VERSION, "guarded", reason, counts)
        return LoadOutcome(**outcome, status="guarded", snapshot_id=snapshot_id, message=f"not applied: {reason}")
    snapshot_id = _apply(conn, module, payload, reuse, as_of, data, quarantined, counts, result.scores)
    opened, closed = _interval_counts(conn, snapshot_id)
    return LoadOutcome(
        **outcome,
        status="added",
        snapshot_id=snapshot_id,
        rows_added=data.observations.num_rows + len(result.scores),
        intervals_opened=opened,
        intervals_closed=closed,
        message="; ".join(result.warnings) or None,
    )


def load_payload(
    conn: duckdb.DuckDBPyConnection,
    payload: Payload,
    guard: GuardSettings,
    *,
    parser: ModuleType,
    force: bool = False,
    kind: str = "ingest",
) -> LoadOutcome:
    """Load one payload with its source's parser module (SOURCE, KIND, PARSER_VERSION, parse).

    Payload problems come back as a failed outcome, never as an exception. The caller picks the parser
    (see `tokentide.collectors.loading`), so the warehouse never imports the collectors.
    """
    module = parser
    run_id = start_run(conn, kind, payload.source, payload.origin)
    faults.maybe_die("after-run-start")
    try:
        outcome = _load(conn, module, payload, guard, force)
    except BaseException as exc:
        finish_run(conn, run_id, RunCounts("failed", error=f"{type(exc).__name__}: {exc}"[:2000]))
        raise
    status = {"added": "ok"}.get(outcome.status, outcome.status)
    finish_run(
        conn,
        run_id,
        RunCounts(
            status=status,
            snapshot_id=outcome.snapshot_id,
            rows_read=outcome.rows_read,
            rows_added=outcome.rows_added,
            intervals_opened=outcome.intervals_opened,
            intervals_closed=outcome.intervals_closed,
            rows_quarantined=outcome.rows_quarantined,
            error=outcome.message if outcome.status in ("failed", "guarded") else None,
        ),
    )
    return outcome
