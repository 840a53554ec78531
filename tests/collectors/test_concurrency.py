"""The app reads while `tokentide schedule` writes every second, in two processes, for a minute.

Requirement (issue 4): the app's queries never raise, never see a half-written snapshot, and no write is
lost — the run log accounts for every run the scheduler reported.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.collectors.test_cli import write_config
from tests.conftest import FIXTURES
from tests.warehouse.helpers import query
from tokentide.cli import main

REPO = Path(__file__).resolve().parents[2]
READ_SECONDS = float(os.environ.get("TOKENTIDE_CONCURRENCY_SECONDS", "60"))  # the budget, not a speed target
ENOUGH_STATES = 10  # the reader stops once it has seen the warehouse move this many times
VARIANTS = sorted((FIXTURES / "openrouter_replay").glob("*.json"))  # eight real days, cycled


def rotate(mirror: Path, stop: threading.Event) -> None:
    """Swap the mirrored catalogue for the next real day every 0.4 s (atomically, as a mirror sync would)."""
    position = 0
    while not stop.wait(0.4):
        position = (position + 1) % len(VARIANTS)
        staging = mirror.with_suffix(".tmp")
        staging.write_bytes(VARIANTS[position].read_bytes())
        os.replace(staging, mirror)


@pytest.mark.slow
def test_the_app_reads_safely_while_the_schedule_writes_every_second(db_path: Path, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.json"
    mirror.write_bytes(VARIANTS[0].read_bytes())
    config = write_config(tmp_path, mirror, every="1s", extra="[schedule]\nmisfire_grace_seconds = 5\n")
    assert main(["--db", str(db_path), "--config", str(config), "collect"]) == 0  # the first published copy

    stop = threading.Event()
    rotator = threading.Thread(target=rotate, args=(mirror, stop), daemon=True)
    rotator.start()
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "tokentide.cli", "--db", str(db_path), "--config", str(config), "schedule"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        app = subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.collectors.concurrency_reader",
                str(db_path),
                str(READ_SECONDS * 3),
                str(ENOUGH_STATES),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=READ_SECONDS * 3 + 120,
        )
    finally:
        stop.set()
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=60)
    assert app.returncode == 0, app.stderr
    reads = json.loads(app.stdout.strip().splitlines()[-1])
    assert scheduler.returncode == 0, err
    reported = [line for line in out.splitlines() if line.split(":", 1)[0] in ("added", "unchanged", "guarded")]
    failures = [line for line in (out + err).splitlines() if line.startswith(("failed:", "error:", "cancelled:"))]
    logged = query(db_path, "SELECT status, count(*) FROM runs WHERE kind = 'collect' GROUP BY ALL ORDER BY 1")
    applied = query(db_path, "SELECT count(*) FROM raw_snapshots WHERE status = 'applied'")[0][0]
    summary = {
        **reads,
        "writes": len(reported),
        "added": sum(line.startswith("added") for line in reported),
        "applied_snapshots": applied,
        "run_log": dict(logged),
    }
    print(f"\nconcurrency, {READ_SECONDS:g} s: {json.dumps(summary)}")

    assert reads["errors"] == 0, reads["first_errors"]  # the app's queries never raise
    assert reads["problems"] == []  # ... and never see a half-written snapshot
    assert failures == []
    assert sum(n for _, n in logged) == len(reported) + 1  # no write lost: every run reported is logged
    assert dict(logged).get("running") is None
    assert applied == summary["added"] + 1
    # counted, not timed: the reader saw the warehouse move ENOUGH_STATES times, each move a reported write
    assert reads["distinct_states_seen"] >= ENOUGH_STATES
    assert len(reported) >= reads["distinct_states_seen"] - 1  # the first state is the initial collect's
    assert main(["--db", str(db_path), "check"]) == 0
