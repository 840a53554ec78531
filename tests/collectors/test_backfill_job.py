"""The schedule's backfill job: only for sources backfilled before, and it loads new releases only."""

from __future__ import annotations

from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from tests.collectors.test_backfill import V0, V1, V2, V3_LINUX, _snapshots, _wheels
from tests.collectors.wheels import FakeIndex
from tokentide.cli import main
from tokentide.collectors import backfill_job, fetching
from tokentide.collectors.backfill import BACKFILL_SOURCES, BackfillOptions
from tokentide.collectors.backfill_settings import schedule_every_seconds
from tokentide.commands import backfill as backfill_command
from tokentide.settings.config import ConfigError, GuardSettings, Settings


def _serve(monkeypatch: pytest.MonkeyPatch, index: FakeIndex) -> FakeIndex:
    factory = lambda **kw: fetching.make_client(transport=index.transport())  # noqa: E731
    monkeypatch.setattr(backfill_command, "make_client", factory)
    monkeypatch.setattr(backfill_job, "make_client", factory)
    return index


def test_no_job_for_a_source_never_backfilled(tmp_path: Path) -> None:
    scheduler = BackgroundScheduler()
    assert backfill_job.add_jobs(scheduler, tmp_path / "w.duckdb", BackfillOptions(), GuardSettings(), 3600) == []
    assert scheduler.get_jobs() == []


def test_the_job_loads_only_releases_newer_than_the_last_backfilled(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    db = tmp_path / "w.duckdb"
    _serve(monkeypatch, FakeIndex(_wheels()))
    assert main(["--db", str(db), "backfill", "--source", "litellm", "--until", "2025-03-04", "--quiet"]) == 0
    assert len(_snapshots(db)) == 1
    scheduler = BackgroundScheduler()
    assert backfill_job.add_jobs(scheduler, db, BackfillOptions(), GuardSettings(), 3600) == ["backfill litellm"]

    index = _serve(monkeypatch, FakeIndex(_wheels()))
    tally = backfill_job.keep_current(db, BACKFILL_SOURCES["litellm"], BackfillOptions(), GuardSettings())
    wheels_fetched = {u.rsplit("/", 1)[-1] for u in index.requests if u.endswith(".whl")}
    assert wheels_fetched == {V2, V3_LINUX} and V0 not in wheels_fetched and V1 not in wheels_fetched
    assert tally.counts == {"unchanged": 1, "added": 1}
    assert len(_snapshots(db)) == 2


def test_schedule_every_is_a_duration_or_off() -> None:
    def every(value: object) -> float | None:
        return schedule_every_seconds(Settings(path=Path("c.toml"), raw={"backfill": {"schedule_every": value}}))

    assert every("12h") == 43200.0 and every("off") is None
    assert schedule_every_seconds(Settings()) == 86400.0
    with pytest.raises(ConfigError, match="backfill.schedule_every"):
        every("soon")
