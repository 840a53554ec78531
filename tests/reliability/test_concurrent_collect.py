"""Several `tokentide collect` processes started at once, round after round, over five sources.

Extends the collectors' two-process test (tests/collectors/test_cli.py): here some processes may not wait
(`--wait 0`), so each one either completes or exits 2 with one clear line naming the lock; never a
traceback, never a corrupt warehouse, never a snapshot applied twice. TOKENTIDE_RACE_ROUNDS (default 8).
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.helpers import file_sources_config
from tests.reliability.figures import record
from tests.warehouse.helpers import query
from tokentide.cli import main

pytestmark = pytest.mark.slow

ROUNDS = int(os.environ.get("TOKENTIDE_RACE_ROUNDS", "8"))
SEED = int(os.environ.get("TOKENTIDE_RACE_SEED", "20261125"))
MIRRORED = {
    "openrouter": "openrouter_2026-02-27_877c8fc77a_bare_array.json",
    "modelsdev": "modelsdev_2026-07-02_excerpt.json",
    "litellm": "litellm_2026-11-12_excerpt.json",
    "genai-prices": "genai-prices_2026-08-21_excerpt.json",
    "epoch": "epoch_2025-08-07_excerpt.csv",
}
BUSY = "is locked by another tokentide process"


def mirrors(folder: Path, round_number: int) -> dict[str, Path]:
    """Each round every source serves new bytes: OpenRouter's prices move, the others gain a trailing space."""
    paths = {}
    for source, name in MIRRORED.items():
        raw = fixture_bytes(name)
        if source == "openrouter":
            raw = raw.replace(b'"0.0000002"', f'"0.000000{2 + round_number % 7}"'.encode())
        path = folder / f"{source}{Path(name).suffix}"
        path.write_bytes(raw + b" " * round_number)
        paths[source] = path
    return paths


def config_file(folder: Path, paths: dict[str, Path]) -> Path:
    return file_sources_config(folder, paths)


@pytest.mark.timeout(max(600, ROUNDS * 30))
def test_racing_collects_wait_or_exit_clearly_and_never_corrupt(db_path: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    paths = mirrors(tmp_path, 0)
    config = config_file(tmp_path, paths)
    outcomes = {"completed": 0, "busy": 0}
    for round_number in range(ROUNDS):
        paths = mirrors(tmp_path, round_number)
        racers = []
        for _ in range(rng.choice([2, 3])):
            wait = rng.choice([["--wait", "0"], ["--wait", "0"], []])
            command = [
                sys.executable,
                "-m",
                "tokentide.cli",
                "--db",
                str(db_path),
                "--config",
                str(config),
                "collect",
                "--once",
                *wait,
            ]
            racers.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        for proc in racers:
            out, err = proc.communicate(timeout=300)
            assert "Traceback" not in err, err
            if proc.returncode == 2:
                assert err.count("\n") == 1 and err.startswith("tokentide collect: warehouse") and BUSY in err, err
                outcomes["busy"] += 1
            else:
                assert proc.returncode == 0, err
                outcomes["completed"] += 1
        assert main(["--db", str(db_path), "check"]) == 0
        assert main(["--db", str(db_path), "--config", str(config), "collect", "--once"]) == 0  # catches up
        for source, path in paths.items():
            latest = query(
                db_path,
                "SELECT sha256 FROM raw_snapshots WHERE source = ? AND status = 'applied' "
                "ORDER BY as_of DESC, snapshot_id DESC LIMIT 1",
                [source],
            )
            assert latest == [(hashlib.sha256(path.read_bytes()).hexdigest(),)], (round_number, source)
    doubled = query(
        db_path,
        "SELECT source, sha256, count(*) FROM raw_snapshots WHERE status = 'applied' GROUP BY ALL HAVING count(*) > 1",
    )
    assert doubled == [], "the same bytes were applied twice"
    assert query(db_path, "SELECT count(*) FROM runs WHERE status = 'running'") == [(0,)]
    assert outcomes["completed"] >= ROUNDS, outcomes
    record("concurrent_collect", seed=SEED, rounds=ROUNDS, **outcomes)
