"""The schedule: one coalescing, non-overlapping job per source; raising jobs are logged; shutdown is prompt."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from tests.collectors.helpers import client_factory, json_response, sequence, settings
from tests.conftest import fixture_bytes
from tests.warehouse.helpers import query
from tokentide.collectors.run import CollectOutcome
from tokentide.collectors.schedule import CollectSchedule, first_run_at, start_in_app
from tokentide.collectors.sources import collect_settings
from tokentide.settings.config import Settings

DAY1 = fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json")
DAY2 = fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json")


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_one_job_per_enabled_source_with_the_issue_defaults(db_path: Path) -> None:
    config = collect_settings(Settings(raw={"schedule": {"misfire_grace_seconds": 120}}), db_path)
    schedule = CollectSchedule(db_path, config, echo=lambda line: None)
    schedule.scheduler.start(paused=True)  # job defaults apply once the scheduler starts
    jobs = {job.id: job for job in schedule.scheduler.get_jobs()}
    schedule.shutdown()
    # endpoints: none followed; artificial-analysis: no API key
    assert sorted(jobs) == ["epoch", "epoch-benchmarks", "genai-prices", "litellm", "modelsdev", "openrouter"]
    intervals = {name: job.trigger.interval for name, job in jobs.items()}
    assert intervals["openrouter"] == timedelta(hours=1) and intervals["modelsdev"] == timedelta(hours=6)
    assert intervals["epoch"] == timedelta(days=1)
    for job in jobs.values():
        assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time == 120
    assert all(" every " in line for line in schedule.describe())


def test_a_restart_first_runs_what_is_due() -> None:
    now = datetime(2026, 11, 25, 12, 0)
    source = settings(Path("w.duckdb"), {"openrouter": {"every": "1h"}}).sources["openrouter"]
    assert first_run_at(source, None, now) == now
    assert first_run_at(source, now - timedelta(hours=3), now) == now
    assert first_run_at(source, now - timedelta(minutes=20), now) == now + timedelta(minutes=40)


class FlakyCollector:
    """Raises on its first run, then succeeds: the schedule must log the error and go on."""

    def __init__(self) -> None:
        self.calls = 0

    def run(self, name: str) -> CollectOutcome:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("parser exploded")
        return CollectOutcome(name, "unchanged", "same bytes")

    def close(self) -> None:
        pass


def test_a_raising_job_is_logged_and_the_schedule_goes_on(db_path: Path, caplog) -> None:
    config = settings(db_path, {"openrouter": {"every": "0.2s"}})
    lines: list[str] = []
    flaky = FlakyCollector()
    schedule = CollectSchedule(db_path, config, collector=flaky, echo=lines.append)  # type: ignore[arg-type]
    schedule.start()
    try:
        assert wait_for(lambda: flaky.calls >= 3)
    finally:
        schedule.shutdown()
    assert lines[0] == "error: openrouter: RuntimeError: parser exploded"
    assert lines[1] == "unchanged: openrouter: same bytes" and schedule.errors == 1 and schedule.runs >= 2
    assert "collect openrouter raised RuntimeError: parser exploded" in caplog.text


def test_the_schedule_collects_against_a_mock_transport(db_path: Path) -> None:
    handler, seen = sequence([json_response(DAY1), json_response(DAY2)])
    config = settings(db_path, {"openrouter": {"every": "0.3s"}})
    lines: list[str] = []
    schedule = CollectSchedule(db_path, config, client_factory=client_factory(handler), echo=lines.append)
    schedule.start()
    try:
        assert wait_for(lambda: len(lines) >= 3)
    finally:
        schedule.shutdown()
    assert lines[0].startswith("added:") and lines[1].startswith("added:") and lines[2].startswith("unchanged:")
    assert query(db_path, "SELECT count(*) FROM raw_snapshots WHERE source = 'openrouter'") == [(2,)]
    assert query(db_path, "SELECT count(*) FROM runs WHERE kind = 'collect'") == [(len(lines),)]


def test_shutdown_cuts_a_long_retry_wait_short_and_logs_the_run(db_path: Path) -> None:
    asked = threading.Event()

    def failing(request: httpx.Request) -> httpx.Response:
        asked.set()
        return httpx.Response(503)

    config = settings(
        db_path,
        {"openrouter": {"every": "1h"}},
        collect={"backoff_base_seconds": 600, "backoff_max_seconds": 600, "max_retry_seconds": 3600},
    )
    lines: list[str] = []
    schedule = CollectSchedule(db_path, config, client_factory=client_factory(failing), echo=lines.append)
    schedule.start()
    assert asked.wait(20)
    started = time.monotonic()
    schedule.shutdown()  # the job is sleeping ~5-10 min before its next attempt
    assert time.monotonic() - started < 10
    assert lines == ["cancelled: openrouter: cancelled: shutting down; this run stops without writing"]
    assert query(db_path, "SELECT status, error FROM runs") == [
        ("failed", "cancelled: shutting down; this run stops without writing")
    ]


def test_in_app_schedule_is_off_by_default(db_path: Path) -> None:
    assert start_in_app(db_path, settings(db_path, {"openrouter": {}})) is None
    on = settings(
        db_path, {"openrouter": {"every": "1h", "url": "file:///nonexistent/models.json"}}, schedule={"in_app": True}
    )
    schedule = start_in_app(db_path, on)
    assert schedule is not None and schedule.scheduler.running
    schedule.shutdown()
    assert not schedule.scheduler.running
