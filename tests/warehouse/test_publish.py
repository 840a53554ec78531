"""The published read-only copy: complete or absent, never partial; stale staging cleaned; writers take turns."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tokentide.warehouse.connection import WarehouseBusy, reader, writer
from tokentide.warehouse.publish import published_path


def _rows(db: Path) -> list[tuple]:
    with reader(db) as conn:
        return conn.execute("SELECT source FROM runs ORDER BY run_id").fetchall()


def _log_run(conn, source: str) -> None:
    conn.execute("INSERT INTO runs (kind, source, started_at, status) VALUES ('test', ?, now(), 'ok')", [source])


def test_stale_staging_copies_of_a_killed_writer_are_removed(db_path: Path) -> None:
    with writer(db_path) as conn:
        _log_run(conn, "a")
    stale = published_path(db_path).with_name(f".{published_path(db_path).name}.99999.tmp")
    stale.write_bytes(b"half a copy")
    with writer(db_path) as conn:
        _log_run(conn, "b")
    assert not stale.exists() and _rows(db_path) == [("a",), ("b",)]
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.endswith(".tmp")) == []


def test_a_failed_write_rolls_back_and_still_publishes_what_was_committed(db_path: Path) -> None:
    with pytest.raises(RuntimeError), writer(db_path) as conn:
        _log_run(conn, "committed")  # autocommit: like the run log written before a load
        conn.execute("BEGIN TRANSACTION")
        _log_run(conn, "half-done")
        raise RuntimeError("crash mid-load")
    assert _rows(db_path) == [("committed",)]


def test_a_reader_holding_the_old_copy_keeps_reading_it_while_a_new_one_is_published(db_path: Path) -> None:
    with writer(db_path) as conn:
        _log_run(conn, "a")
    with reader(db_path) as old:
        with writer(db_path) as conn:
            _log_run(conn, "b")
        assert old.execute("SELECT count(*) FROM runs").fetchone() == (1,)  # its inode, complete and unchanged
    assert _rows(db_path) == [("a",), ("b",)]


def test_threads_of_one_process_take_turns_and_a_long_wait_is_refused(db_path: Path) -> None:
    with writer(db_path) as conn:
        _log_run(conn, "first")
    inside = threading.Event()
    release = threading.Event()

    def slow_writer() -> None:
        with writer(db_path) as conn:
            inside.set()
            release.wait(10)
            _log_run(conn, "slow")

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inside.wait(10)
    with pytest.raises(WarehouseBusy, match="another thread"):
        with writer(db_path, wait_seconds=0.2):
            pass
    started = time.monotonic()
    threading.Timer(0.3, release.set).start()
    with writer(db_path, wait_seconds=10) as conn:  # waits for the slow writer, then goes
        _log_run(conn, "patient")
    thread.join()
    assert time.monotonic() - started >= 0.25
    assert _rows(db_path) == [("first",), ("slow",), ("patient",)]
