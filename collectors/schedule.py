"""The collect schedule: APScheduler 3.x, one interval job per source, in the foreground or inside the app.

Jobs coalesce missed runs, never overlap themselves (max_instances=1) and tolerate lateness up to the
misfire grace time. A job that raises is logged and the schedule goes on. Shutdown sets a stop event
that cuts retry waits short; a write already under way finishes (or, if the process is killed, DuckDB
rolls it back on the next open), then the scheduler stops.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

import httpx
from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tokentide.collectors.fetching import Timing, interruptible_sleep
from tokentide.collectors.run import Collector, last_collected, read_published
from tokentide.collectors.sources import CollectSettings, SourceSettings, format_duration

log = logging.getLogger(__name__)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def first_run_at(source: SourceSettings, last: datetime | None, now: datetime) -> datetime:
    """Now if the source is due, else when its interval since the last collect ends (naive UTC)."""
    if last is None:
        return now
    return max(now, last + timedelta(seconds=source.every_seconds))


class CollectSchedule:
    """A BackgroundScheduler with one job per source; `run_until_signalled` makes it the foreground command."""

    def __init__(
        self,
        db: Path,
        config: CollectSettings,
        *,
        sources: Sequence[str] | None = None,
        client_factory: Callable[[], httpx.Client] | None = None,
        timing: Timing | None = None,
        collector: Collector | None = None,
        echo: Callable[[str], None] = print,
        max_workers: int = 4,
    ) -> None:
        self.stop = threading.Event()
        self.config, self.echo = config, echo
        self.collector = collector or Collector(
            db, config, client_factory=client_factory, timing=timing or Timing(sleep=interruptible_sleep(self.stop))
        )
        self.runs = self.errors = 0
        self._count_lock = threading.Lock()
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": max(1, int(config.misfire_grace_seconds)),
            },
        )
        names = list(sources) if sources else [s.name for s in config.enabled()]
        last: dict[str, datetime] = read_published(db, last_collected, {})
        now = datetime.now(UTC).replace(tzinfo=None)
        for name in names:
            source = config.sources[name]
            first = first_run_at(source, last.get(name), now).replace(tzinfo=UTC)
            self.scheduler.add_job(
                self._job,
                IntervalTrigger(seconds=source.every_seconds, start_date=first, timezone=UTC),
                args=[name],
                id=name,
                name=f"collect {name}",
                next_run_time=first,
            )
        self.scheduler.add_listener(self._skipped, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)

    def _job(self, name: str) -> None:
        if self.stop.is_set():
            return
        try:
            outcome = self.collector.run(name)
        except Exception as exc:  # a raising job is logged and the schedule goes on
            with self._count_lock:
                self.errors += 1
            trace = log.isEnabledFor(logging.DEBUG)
            log.error("collect %s raised %s: %s", name, type(exc).__name__, exc, exc_info=trace)
            self.echo(f"error: {name}: {type(exc).__name__}: {exc}".replace("\n", " "))
            return
        with self._count_lock:
            self.runs += 1
        self.echo(outcome.summary_line())

    def _skipped(self, event: JobExecutionEvent) -> None:
        why = "missed its time (past the misfire grace)" if event.code == EVENT_JOB_MISSED else "still running"
        log.info("collect %s: a run was skipped: %s", event.job_id, why)

    def describe(self) -> list[str]:
        return [
            f"{job.id} every {format_duration(self._every_seconds(job))}, next {job.next_run_time:%Y-%m-%d %H:%M:%S %Z}"
            for job in self.scheduler.get_jobs()
        ]

    def _every_seconds(self, job: Job) -> float:
        """A source's interval, or the trigger's own for other jobs (the backfill job)."""
        if job.id in self.config.sources:
            return self.config.sources[job.id].every_seconds
        return float(job.trigger.interval.total_seconds())

    def start(self) -> None:
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop taking new runs, cut retry waits short, wait for a write under way, flush the webhook."""
        self.stop.set()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.collector.close()

    def run_until_signalled(self) -> int:
        """The foreground `tokentide schedule`: run until SIGINT or SIGTERM, then shut down gracefully."""

        def request_stop(signum: int, frame: FrameType | None) -> None:
            _stderr(f"tokentide schedule: {signal.Signals(signum).name} received; finishing the current write")
            self.stop.set()
            for sig in (signal.SIGINT, signal.SIGTERM):  # a second signal stops at once
                signal.signal(sig, signal.SIG_DFL)

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            for line in self.describe():
                _stderr(f"tokentide schedule: {line}")
            while not self.stop.wait(0.5):
                pass
        finally:
            self.shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        _stderr(f"tokentide schedule: stopped after {self.runs} run(s), {self.errors} error(s)")
        return 0


def start_in_app(db: Path, config: CollectSettings) -> CollectSchedule | None:
    """`tokentide app` with `[schedule] in_app = true`: the schedule runs in the background of the app process."""
    if not config.run_in_app or not config.enabled():
        return None
    schedule = CollectSchedule(db, config, echo=_stderr)
    schedule.start()
    _stderr(f"tokentide app: collecting in the background: {'; '.join(schedule.describe())}")
    return schedule
