"""The collect, schedule and changes commands end to end, with file:// sources (no network)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import fixture_path
from tests.helpers import file_sources_config
from tests.warehouse.helpers import query
from tokentide.cli import main
from tokentide.commands import serve

DAY1 = fixture_path("openrouter_2026-02-27_877c8fc77a_bare_array.json")
DAY2 = fixture_path("openrouter_2026-02-27_9868fb6ca3_bare_array.json")


def write_config(tmp_path: Path, source: Path, extra: str = "", every: str = "1h") -> Path:
    """openrouter from a local file; every other source off."""
    return file_sources_config(tmp_path, {"openrouter": source}, every=every, extra=extra)


def cli(db: Path, config: Path, *args: str) -> list[str]:
    return ["--db", str(db), "--config", str(config), *args]


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    path = tmp_path / "mirror" / "models.json"
    path.parent.mkdir()
    path.write_bytes(DAY1.read_bytes())
    return path


def test_collect_runs_what_is_due_and_once_forces_it(db_path, tmp_path, mirror, capsys) -> None:
    config = write_config(tmp_path, mirror)
    assert main(cli(db_path, config, "collect")) == 0
    assert capsys.readouterr().out.startswith("added: openrouter collect file://")
    assert main(cli(db_path, config, "collect")) == 0
    assert capsys.readouterr().out.startswith("not due: openrouter")
    mirror.write_bytes(DAY2.read_bytes())
    assert main(cli(db_path, config, "collect", "--once", "--source", "openrouter")) == 0
    assert "[7 change(s), 0 alert(s)]" in capsys.readouterr().out
    assert [r[0] for r in query(db_path, "SELECT status FROM runs WHERE kind = 'collect' ORDER BY run_id")] == [
        "ok",
        "ok",
    ]


def test_a_failing_source_is_one_line_and_exit_1(db_path, tmp_path, capsys) -> None:
    config = write_config(tmp_path, tmp_path / "missing.json")
    assert main(cli(db_path, config, "collect")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("failed: openrouter: bad source URL: cannot read")
    assert "Traceback" not in err
    assert query(db_path, "SELECT status FROM runs") == [("failed",)]


def test_a_guarded_snapshot_warns_and_exits_0(db_path, tmp_path, mirror, capsys) -> None:
    config = write_config(tmp_path, mirror)
    main(cli(db_path, config, "collect"))
    mirror.write_text('{"data": []}')
    assert main(cli(db_path, config, "collect", "--once")) == 0
    captured = capsys.readouterr()
    assert "guarded: openrouter collect" in captured.out and "held back by the guard" in captured.err


def test_changes_lists_filters_and_prints_json(db_path, tmp_path, mirror, capsys) -> None:
    config = write_config(tmp_path, mirror)
    main(cli(db_path, config, "collect"))
    mirror.write_bytes(DAY2.read_bytes())
    main(cli(db_path, config, "collect", "--once"))
    capsys.readouterr()
    assert main(cli(db_path, config, "changes")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 7 and any("allenai/olmo-3.1-32b-think @ openrouter: new model" in line for line in lines)
    main(cli(db_path, config, "changes", "--min-pct", "12", "--direction", "down", "--json"))
    rows = json.loads(capsys.readouterr().out)
    assert {(r["model_id"], r["field"]) for r in rows} == {
        ("deepseek/deepseek-chat-v3-0324", "usd_per_mtok_cache_read"),
        ("deepseek/deepseek-r1-0528", "usd_per_mtok_output"),
    }
    main(cli(db_path, config, "changes", "--direction", "up", "--limit", "1", "--source", "openrouter"))
    assert "usd_per_mtok_output 0.77 -> 0.87 (+13.0%)" in capsys.readouterr().out
    main(cli(db_path, config, "changes", "--since", "2999-01-01"))
    assert capsys.readouterr().out == ""
    assert main(cli(db_path, config, "changes", "--discrepancies", "--json")) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_changes_on_a_warehouse_without_the_log_says_how_to_migrate(db_path, tmp_path, capsys) -> None:
    conn = duckdb.connect(str(db_path))
    conn.execute("CREATE TABLE raw_snapshots (snapshot_id BIGINT)")
    conn.close()
    assert main(cli(db_path, tmp_path / "none.toml", "changes")) == 2
    assert "predates the change log" in capsys.readouterr().err


def _run(db: Path, config: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tokentide.cli", *cli(db, config, *args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_collect_meeting_a_busy_warehouse_exits_with_a_clear_message(db_path, tmp_path, mirror) -> None:
    config = write_config(tmp_path, mirror)
    assert main(cli(db_path, config, "collect")) == 0
    holder = duckdb.connect(str(db_path))  # another process's long write holds the lock
    try:
        proc = _run(db_path, config, "collect", "--once", "--wait", "1")
        out, err = proc.communicate(timeout=60)
    finally:
        holder.close()
    assert proc.returncode == 2
    assert err.strip().startswith("tokentide collect: warehouse") and "locked by another tokentide process" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_two_collects_at_once_take_turns_without_corruption(db_path, tmp_path, mirror) -> None:
    config = write_config(tmp_path, mirror)
    procs = [_run(db_path, config, "collect", "--once") for _ in range(2)]
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], results
    assert sorted(r[0] for r in query(db_path, "SELECT status FROM runs WHERE kind = 'collect'")) == [
        "ok",
        "unchanged",
    ]
    assert query(db_path, "SELECT count(*) FROM raw_snapshots") == [(1,)]
    assert main(["--db", str(db_path), "check"]) == 0


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_schedule_runs_until_a_signal_and_stops_cleanly(db_path, tmp_path, mirror, stop) -> None:
    config = write_config(tmp_path, mirror, every="1s")
    proc = _run(db_path, config, "schedule")
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while len(lines) < 2 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            lines.append(line)
    proc.send_signal(stop)
    out, err = proc.communicate(timeout=60)
    lines += out.splitlines()
    assert proc.returncode == 0, err
    assert lines[0].startswith("added: openrouter collect") and lines[1].startswith("unchanged: openrouter collect")
    assert f"{stop.name} received" in err and "stopped after" in err and "Traceback" not in err
    collects = query(db_path, "SELECT count(*) FROM runs WHERE kind = 'collect' AND status <> 'running'")[0][0]
    assert collects == len([line for line in lines if line.strip()])


def test_the_app_runs_the_schedule_in_process_only_when_set(db_path, tmp_path, mirror, monkeypatch) -> None:
    seen: list[bool] = []

    def fake_streamlit(command, env, cwd):
        from tokentide.warehouse.connection import reader

        deadline = time.monotonic() + 30  # while "the app" runs, the background schedule collects
        while time.monotonic() < deadline:
            with reader(db_path) as conn:
                if conn.execute("SELECT count(*) FROM runs WHERE kind = 'collect'").fetchone()[0]:
                    seen.append(True)
                    break
            time.sleep(0.1)
        return 0

    started: list[object] = []
    real_start = serve.start_in_app
    monkeypatch.setattr(serve, "start_in_app", lambda db, config: started.append(real_start(db, config)) or started[-1])
    monkeypatch.setattr(serve, "serve_until_stopped", fake_streamlit)
    config = write_config(tmp_path, mirror, extra="[schedule]\nin_app = true\n")
    assert main(cli(db_path, config, "app")) == 0
    assert seen == [True] and started[-1] is not None
    # off: the same app on its own warehouse, while "Streamlit" runs; no schedule starts and none collects
    off, other = write_config(tmp_path, mirror), tmp_path / "other.duckdb"
    monkeypatch.setattr(serve, "serve_until_stopped", lambda command, env, cwd: 0)
    assert main(cli(other, off, "app")) == 0
    assert started[-1] is None
    assert query(other, "SELECT count(*) FROM runs WHERE kind = 'collect'") == [(0,)]
    assert query(other, "SELECT count(*) FROM runs") != [(0,)]  # the app did prepare this warehouse
    assert os.environ.get("TOKENTIDE_WEBHOOK_URL") is None
