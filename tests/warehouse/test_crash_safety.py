"""SIGKILL in the middle of a load leaves the warehouse as it was before that file; a rerun completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import fixture_json
from tests.warehouse.helpers import counts, query


def _payloads(folder: Path, n: int) -> list[Path]:
    models = fixture_json("openrouter_2026-02-27_877c8fc77a_bare_array.json")
    assert isinstance(models, list)
    paths = []
    for day in range(1, n + 1):
        changed = [dict(m, pricing={**m["pricing"], "prompt": f"0.00000{day:02d}"}) for m in models]
        path = folder / f"openrouter_2026-03-{day:02d}.json"
        path.write_text(json.dumps(changed))
        paths.append(path)
    return paths


def _ingest(db: Path, files: list[Path], fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TOKENTIDE_FAULT"}
    if fault:
        env["TOKENTIDE_FAULT"] = fault
    command = [sys.executable, "-m", "tokentide.cli", "--db", str(db), "ingest", "--source", "openrouter"]
    return subprocess.run([*command, *map(str, files)], env=env, capture_output=True, text=True, timeout=120)


def test_sigkill_before_commit_keeps_the_state_before_that_file(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    files = _payloads(tmp_path, 4)
    assert _ingest(db, files[:2], None).returncode == 0
    before = counts(db)
    killed = _ingest(db, files[2:], "sigkill:before-commit:1")
    assert killed.returncode == -signal.SIGKILL
    assert counts(db) == before  # the third file's snapshot, observations and intervals all rolled back
    runs = query(db, "SELECT status FROM runs ORDER BY run_id")
    assert runs[-1] == ("running",)  # the interrupted run is visible in the log
    rerun = _ingest(db, files, None)
    assert rerun.returncode == 0, rerun.stderr
    assert [line.split(":")[0] for line in rerun.stdout.splitlines()] == ["unchanged", "unchanged", "added", "added"]
    assert query(db, "SELECT count(*) FROM raw_snapshots WHERE source = 'openrouter'") == [(4,)]
    assert query(db, "SELECT count(*) FROM price_intervals WHERE valid_to IS NULL AND source = 'openrouter'") == [(6,)]
