"""SIGKILL `tokentide ingest` and `tokentide schedule` at seeded random points, many times over.

Each kill is either a fault-injection point (warehouse/faults.py: after the run starts, mid-load, before
and after the commit, mid-publish) or a timed kill at a random moment. After every kill the warehouse
opens, `tokentide check` passes, the app's read copy opens, and a rerun completes the work. At the end
the warehouse holds exactly what one clean run produces: no row lost, none doubled.

Bounded for CI: TOKENTIDE_CRASH_KILLS (default 20) ingest kills plus half as many schedule kills, seeded
by TOKENTIDE_CRASH_SEED. A long local run: TOKENTIDE_CRASH_KILLS=200 make test.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.helpers import file_sources_config
from tests.reliability.figures import record
from tokentide.cli import main
from tokentide.warehouse import faults
from tokentide.warehouse.publish import published_path

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("TOKENTIDE_CRASH_KILLS", "20"))
SEED = int(os.environ.get("TOKENTIDE_CRASH_SEED", "20261125"))
FILES_PER_ROUND = 3
REAL_PAYLOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
REAL_PAYLOAD /= "openrouter_2026-05-31_anomalyco-models.dev_0c88cfab35.json.gz"
RUN_POINTS = ("after-run-start", "mid-load", "before-commit", "after-commit")  # a kill here leaves a 'running' run
INTERVAL_KEY = (
    "source, model_id, source_provider, valid_from, valid_to, price_hash, close_reason, opened_by_snapshot IS NOT NULL"
)


@dataclass(frozen=True)
class Kill:
    """Where one run dies: a named fault point (on its nth passage), or a wall-clock delay."""

    point: str | None
    nth: int
    delay_s: float

    @property
    def env(self) -> dict[str, str]:
        return {faults.ENV: f"sigkill:{self.point}:{self.nth}"} if self.point else {}


def plan(rng: random.Random, n: int, max_delay_s: float) -> list[Kill]:
    kills = []
    for _ in range(n):
        if rng.random() < 0.5:
            point = rng.choice(faults.POINTS)
            kills.append(Kill(point, 1 if point == "mid-publish" else rng.randint(1, FILES_PER_ROUND), 0.0))
        else:
            kills.append(Kill(None, 0, rng.uniform(0.3, max_delay_s)))
    return kills


def daily_payloads(folder: Path, days: int, seed: int) -> list[Path]:
    """A real 365-model OpenRouter catalogue, then `days` days of seeded cuts, launches and delistings."""
    models = json.loads(gzip.decompress(REAL_PAYLOAD.read_bytes()))["data"]
    rng = random.Random(seed)
    paths = []
    for day in range(days):
        for model in rng.sample(models, 12):
            pricing = model.get("pricing") or {}
            if str(pricing.get("prompt", "")).replace(".", "").isdigit():
                factor = rng.choice([0.5, 0.8, 1.2])
                model["pricing"] = {**pricing, "prompt": f"{float(pricing['prompt']) * factor:.10f}"}
        if day % 4 == 3:
            models.pop(rng.randrange(len(models)))
        if day % 5 == 2:
            models.append(
                {
                    "id": f"tokentide-test/model-{day}",
                    "name": f"Model {day}",
                    "created": 1780000000 + day,
                    "pricing": {"prompt": "0.000001", "completion": "0.000002"},
                }
            )
        path = folder / f"openrouter_{date(2026, 6, 1) + timedelta(days=day)}.json"
        path.write_text(json.dumps({"data": models}))
        paths.append(path)
    return paths


def ingest_command(db: Path, files: list[Path]) -> list[str]:
    command = [sys.executable, "-m", "tokentide.cli", "--db", str(db), "ingest", "--source", "openrouter"]
    return [*command, *map(str, files)]


def run_and_kill(command: list[str], kill: Kill, extra_env: dict[str, str] | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if k != faults.ENV} | kill.env | (extra_env or {})
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if kill.point is None:
        try:
            proc.wait(timeout=kill.delay_s)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert "Traceback" not in err, err
    return proc.returncode


def in_process(*argv: str) -> tuple[int, str]:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(list(argv))
    return code, out.getvalue()


def assert_recovers(db: Path) -> None:
    """The warehouse opens, `tokentide check` passes, and the read copy the app opens is a whole database.
    (A kill during start-up, before the file exists, leaves nothing to recover.)"""
    if not db.exists():
        return
    code, report = in_process("--db", str(db), "check")
    assert code == 0, report
    published = published_path(db)
    if published.exists():
        with duckdb.connect(str(published), read_only=True) as conn:
            conn.execute("SELECT count(*) FROM price_intervals").fetchone()


def run_log(db: Path) -> tuple[int, int]:
    """(runs, runs left 'running') in the warehouse; (0, 0) before it exists."""
    if not db.exists():
        return 0, 0
    with duckdb.connect(str(db), read_only=True) as conn:
        row = conn.execute("SELECT count(*), count(*) FILTER (WHERE status = 'running') FROM runs").fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def content(db: Path) -> dict[str, object]:
    """What must survive: snapshots by bytes, observations per snapshot, intervals, quarantine. Compacted
    first: which snapshot was newest when an earlier run compacted depends on where the kills fell, and
    compaction of the final state is canonical (see warehouse/compaction.py)."""
    assert in_process("--db", str(db), "compact")[0] == 0
    with duckdb.connect(str(db), read_only=True) as conn:
        return {
            "snapshots": sorted(conn.execute("SELECT sha256, status, as_of FROM raw_snapshots").fetchall()),
            "observations": sorted(
                conn.execute(
                    "SELECT s.sha256, count(*), sum(hash(o.model_id || o.price_hash)), any_value(s.n_folded) "
                    "FROM observations o JOIN raw_snapshots s USING (snapshot_id) GROUP BY s.sha256"
                ).fetchall()
            ),
            "intervals": sorted(conn.execute(f"SELECT {INTERVAL_KEY} FROM price_intervals").fetchall(), key=repr),  # noqa: S608
            "quarantine": conn.execute("SELECT count(*) FROM quarantine").fetchone(),
            "folds": sorted(
                conn.execute(
                    "SELECT * EXCLUDE (first_snapshot_id, last_snapshot_id) FROM observation_folds"
                ).fetchall(),
                key=repr,
            ),  # fmt: skip
        }


@pytest.mark.timeout(max(600, KILLS * 10))
def test_ingest_survives_seeded_sigkills_and_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    files = daily_payloads(tmp_path, KILLS * FILES_PER_ROUND, SEED)
    reference = tmp_path / "reference.duckdb"
    started = time.monotonic()
    assert in_process("--db", str(reference), "ingest", "--source", "openrouter", *map(str, files))[0] == 0
    per_file_s = (time.monotonic() - started) / len(files)
    db = tmp_path / "killed.duckdb"
    kills = plan(rng, KILLS, max_delay_s=2.5 + FILES_PER_ROUND * per_file_s)
    landed = at_run_points = 0
    for round_number, kill in enumerate(kills):
        batch = files[: (round_number + 1) * FILES_PER_ROUND]
        code = run_and_kill(ingest_command(db, batch), kill)
        assert code in (0, -signal.SIGKILL), f"round {round_number} {kill}: exit {code}"
        landed += code == -signal.SIGKILL
        if kill.point in RUN_POINTS:
            assert code == -signal.SIGKILL, f"round {round_number}: the fault point {kill.point} was never reached"
            at_run_points += 1
        assert_recovers(db)
        rerun, out = in_process("--db", str(db), "ingest", "--source", "openrouter", *map(str, batch))
        assert rerun == 0, out
        with duckdb.connect(str(db), read_only=True) as conn:
            applied = conn.execute("SELECT count(*) FROM raw_snapshots WHERE status = 'applied'").fetchone()
        assert applied == (len(batch),), f"round {round_number} {kill}: the rerun did not complete the work"
    assert landed >= KILLS // 2, f"only {landed} of {KILLS} kills landed before the run ended"
    final, expected = content(db), content(reference)
    assert final == expected  # rows lost: 0, rows doubled: 0
    with duckdb.connect(str(db), read_only=True) as conn:
        interrupted = conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]
    # every run killed inside a write is visible in the log as 'running' (the fault-point kills at least,
    # counted from the kills that happened), and no finished run is
    assert at_run_points <= interrupted <= landed
    record(
        "crash_ingest",
        seed=SEED,
        kills_planned=KILLS,
        kills_landed=landed,
        kills_inside_a_run=interrupted,
        at_fault_points=sum(k.point is not None for k in kills),
        timed=sum(k.point is None for k in kills),
        files=len(files),
        intervals=len(final["intervals"]),
        rows_lost=0,
    )


def schedule_config(folder: Path, mirror: Path) -> Path:
    return file_sources_config(folder, {"openrouter": mirror}, every="1s")


@pytest.mark.timeout(max(600, KILLS * 10))
def test_the_schedule_survives_seeded_sigkills(tmp_path: Path) -> None:
    rng = random.Random(SEED + 1)
    days = daily_payloads(tmp_path, max(2, KILLS // 2) + 1, SEED + 1)
    mirror = tmp_path / "mirror" / "models.json"
    mirror.parent.mkdir()
    config = schedule_config(tmp_path, mirror)
    db = tmp_path / "scheduled.duckdb"
    command = [sys.executable, "-m", "tokentide.cli", "--db", str(db), "--config", str(config), "schedule"]
    landed = mid_write = before_any_write = 0
    for round_number in range(max(2, KILLS // 2)):
        mirror.write_bytes(days[round_number].read_bytes())  # the source changes between runs
        kill = (
            Kill(None, 0, rng.uniform(1.5, 5.0))
            if rng.random() < 0.6
            else Kill(rng.choice(("mid-load", "before-commit", "after-commit", "mid-publish")), 1, 0.0)
        )
        if kill.point:  # a fault point kills the scheduler on its first write; bound the wait anyway
            kill = Kill(kill.point, 1, 30.0)
        runs_before, running_before = run_log(db)
        code = run_and_kill(command, kill)
        assert code == -signal.SIGKILL, f"round {round_number} {kill}: exit {code}"
        landed += 1
        runs_after, running_after = run_log(db)
        mid_write += running_after > running_before  # killed inside a collect run
        before_any_write += runs_after == runs_before  # killed before this round wrote anything
        if kill.point in RUN_POINTS:
            assert running_after == running_before + 1, f"round {round_number}: {kill.point} left no 'running' run"
        assert_recovers(db)
        rerun, out = in_process("--db", str(db), "--config", str(config), "collect", "--once")
        assert rerun == 0, out
        with duckdb.connect(str(db), read_only=True) as conn:
            latest = conn.execute(
                "SELECT sha256 FROM raw_snapshots WHERE status = 'applied' "
                "ORDER BY as_of DESC, snapshot_id DESC LIMIT 1"
            ).fetchone()
        assert latest == (hashlib.sha256(mirror.read_bytes()).hexdigest(),), f"round {round_number}: not caught up"
    assert_recovers(db)
    record("crash_schedule", seed=SEED + 1, kills_landed=landed, kills_inside_a_run=mid_write,
           kills_before_any_write=before_any_write)  # fmt: skip
