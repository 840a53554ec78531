"""Collecting a source: fetch without holding the warehouse, then one short write through `load_payload`.

The fetch (with its retries) happens before the write lock is taken, so a slow source never blocks the
other sources, `tokentide ingest`, or the next publish for readers. Every outcome, including a failed
fetch, is recorded in the run log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import httpx

from tokentide.collectors import openrouter, openrouter_endpoints
from tokentide.collectors.default_data import ensure_curated
from tokentide.collectors.errors import Cancelled, CollectError, ConnectionUnavailable, unreachable
from tokentide.collectors.fetching import FetchResult, Timing, Validators, make_client
from tokentide.collectors.loading import load_payload
from tokentide.collectors.parallel import HostSlots, run_concurrently
from tokentide.collectors.registry import source_module
from tokentide.collectors.sources import CollectSettings, SourceSettings
from tokentide.notify.alerts import Notifier
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.connection import WarehouseError, reader, writer
from tokentide.warehouse.load import LoadOutcome
from tokentide.warehouse.price_changes import PriceChange, recent_changes, snapshot_changes
from tokentide.warehouse.publish import published_path
from tokentide.warehouse.reference_sync import sync_reference
from tokentide.warehouse.runs import RunCounts, finish_run, start_run
from tokentide.warehouse.snapshots import Payload
from tokentide.warehouse.validators import load_validators, save_validators

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class CollectOutcome:
    source: str
    status: str  # added | unchanged | guarded | failed | cancelled
    message: str | None = None
    snapshot_id: int | None = None
    attempts: int = 0
    load: LoadOutcome | None = None
    changes: tuple[PriceChange, ...] = field(default_factory=tuple)
    alerts: int = 0

    @property
    def failed(self) -> bool:
        return self.status in ("failed", "cancelled")

    def summary_line(self) -> str:
        if self.load is not None:
            line = self.load.summary_line().replace(f"{self.load.source} ", f"{self.load.source} collect ", 1)
        else:
            line = f"{self.status}: {self.source}: {self.message or ''}".rstrip(": ")
        notes = []
        if self.attempts > 1:
            notes.append(f"{self.attempts} attempts")
        if self.changes:
            notes.append(f"{len(self.changes)} change(s), {self.alerts} alert(s)")
        return line + (f" [{'; '.join(notes)}]" if notes else "")


def read_published(db: Path, query: Callable[[duckdb.DuckDBPyConnection], T], default: T) -> T:
    """Ask the published copy (never the writer's file): nothing published yet, or an older schema, gives default."""
    if not published_path(db).exists():
        return default
    try:
        with reader(db, wait_seconds=5.0) as conn:
            return query(conn)
    except (WarehouseError, duckdb.Error) as exc:
        log.info("published copy of %s not usable for %s: %s", db, getattr(query, "__name__", "query"), exc)
        return default


def last_collected(conn: duckdb.DuckDBPyConnection) -> dict[str, datetime]:
    rows = conn.execute("SELECT source, max(started_at) FROM runs WHERE kind = 'collect' GROUP BY source").fetchall()
    return {str(source): at for source, at in rows}


def is_due(source: SourceSettings, last: datetime | None, now: datetime) -> bool:
    return last is None or now - last >= timedelta(seconds=source.every_seconds)


def followed_models(conn: duckdb.DuckDBPyConnection, source: SourceSettings) -> list[str]:
    """The explicit follow list, then (follow_all) the current OpenRouter catalogue, capped at max_models."""
    models = list(dict.fromkeys(source.follow))
    if source.follow_all:
        rows = conn.execute(
            "SELECT DISTINCT model_id FROM price_intervals WHERE source = ? AND valid_to IS NULL ORDER BY model_id",
            [openrouter.SOURCE],
        ).fetchall()
        models += [str(row[0]) for row in rows if row[0] not in models]
    return models[: source.max_models]


class Collector:
    """Runs sources (one per `run`, several at once with `run_all`); safe to call from several threads:
    fetches are bounded per host, writes take turns."""

    def __init__(
        self,
        db: Path,
        config: CollectSettings,
        *,
        client_factory: Callable[[], httpx.Client] | None = None,
        timing: Timing | None = None,
        notifier: Notifier | None = None,
        force: bool = False,
    ) -> None:
        self.db, self.config, self.force = db, config, force
        self.client_factory = client_factory or (
            lambda: make_client(config.timeout_seconds, config.connect_timeout_seconds)
        )
        self.timing = timing or Timing()
        self.notifier = notifier if notifier is not None else Notifier(config.alerts)
        self.host_slots = HostSlots(config.per_host)
        # This collector's own threads queue here for their turn to write, so --wait (lock_wait_seconds) only
        # bounds the wait for another process, never a sibling source of the same run.
        self._write_turn = threading.Lock()

    def run_all(self, names: list[str], report: Callable[[CollectOutcome], None]) -> list[CollectOutcome]:
        """Every named source, [collect] max_parallel at a time and per_host per host; writes take turns
        (self._write_turn queues this run's threads). Outcomes are reported in the order of `names`."""
        return run_concurrently(names, self.run, report, self.config.max_parallel)

    def due(self, names: list[str]) -> list[str]:
        last: dict[str, datetime] = read_published(self.db, last_collected, {})
        now = self.timing.now()
        return [name for name in names if is_due(self.config.sources[name], last.get(name), now)]

    def run(self, name: str) -> CollectOutcome:
        source = self.config.sources[name]
        try:
            with self.host_slots.hold(source.url):
                result = self._fetch_unless_down(source)
        except CollectError as exc:
            log.info("collect %s: %s", name, exc)  # the caller prints the one line per source
            self._record_failure(source, str(exc))
            return CollectOutcome(name, "cancelled" if isinstance(exc, Cancelled) else "failed", str(exc))
        return self._store(source, result)

    def _fetch_unless_down(self, source: SourceSettings) -> FetchResult:
        down = self.host_slots.down(source.url)
        if down is not None:
            raise ConnectionUnavailable(f"{HostSlots.host_of(source.url)} could not be reached earlier in this run "
                                        f"({down})")  # fmt: skip
        try:
            return self._fetch(source)
        except CollectError as exc:
            if unreachable(exc):
                self.host_slots.mark_down(source.url, exc.title)
            raise

    def _fetch(self, source: SourceSettings) -> FetchResult:
        module = source_module(source.name)
        options: dict[str, Any] = {"policy": self.config.retry, "timing": self.timing}
        if source.name == openrouter_endpoints.SOURCE:
            options["models"] = read_published(self.db, lambda conn: followed_models(conn, source), list(source.follow))
            options["request_interval_seconds"] = source.request_interval_seconds
        elif not source.url.startswith("file://"):
            options["validators"] = read_published(
                self.db, lambda conn: load_validators(conn, source.name, source.url), Validators()
            )
        with self.client_factory() as client:
            result: FetchResult = module.fetch(client, source.url, **options)
        return result

    def _record_failure(self, source: SourceSettings, message: str) -> None:
        with self._write_turn, writer(self.db, wait_seconds=self.config.lock_wait_seconds) as conn:
            run_id = start_run(conn, "collect", source.name, source.url)
            finish_run(conn, run_id, RunCounts("failed", error=message[:2000]))

    def _store(self, source: SourceSettings, result: FetchResult) -> CollectOutcome:
        changes: list[PriceChange] = []
        recent: list[PriceChange] | None = None
        with self._write_turn, writer(self.db, wait_seconds=self.config.lock_wait_seconds) as conn:
            sync_reference(conn)
            ensure_curated(conn, self.config.guard)  # the tier labels are there whichever command ran first
            if result.raw is None:
                run_id = start_run(conn, "collect", source.name, source.url)
                finish_run(conn, run_id, RunCounts("unchanged"))
                return CollectOutcome(source.name, "unchanged", "not modified (HTTP 304)", attempts=result.attempts)
            payload = Payload(
                source.name,
                source.url,
                result.raw,
                result.fetched_at,
                as_of=result.fetched_at,
                http_status=result.http_status,
            )
            outcome = load_payload(conn, payload, self.config.guard, force=self.force, kind="collect")
            if outcome.status in ("added", "unchanged") and result.http_status is not None:
                save_validators(conn, source.name, source.url, result.validators, payload.sha256)
            if outcome.status == "added" and outcome.snapshot_id is not None:
                changes = snapshot_changes(conn, outcome.snapshot_id)
            feed = self.config.alerts.atom_path
            if feed is not None and (changes or not feed.exists()):
                recent = recent_changes(conn, self.config.alerts.atom_max_entries)
        alerts = self._notify(changes, recent)
        return CollectOutcome(
            source.name,
            outcome.status,
            outcome.message,
            outcome.snapshot_id,
            result.attempts,
            outcome,
            tuple(changes),
            alerts,
        )

    def _notify(self, changes: list[PriceChange], recent: list[PriceChange] | None) -> int:
        """Alerts and the feed come after the write; a failure here is logged and never undoes it."""
        try:
            alerts = self.notifier.deliver(changes, utc_now()) if changes else []
            if recent is not None:
                self.notifier.write_feed(recent, utc_now())
        except OSError as exc:
            log.warning("alerts or feed not written: %s", exc)
            return 0
        return len(alerts)

    def close(self) -> None:
        self.notifier.close()
