"""Opening the DuckDB warehouse: migrations on write, clear errors when it is busy or missing."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from tokentide.warehouse.migrations_runner import migrate
from tokentide.warehouse.publish import publish, published_path

LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked", "lock on file")


class WarehouseError(Exception):
    """A warehouse problem with a one-line, user-facing message."""


class WarehouseBusy(WarehouseError):
    pass


class WarehouseMissing(WarehouseError):
    pass


def _is_lock_error(exc: Exception) -> bool:
    return any(marker in str(exc) for marker in LOCK_MARKERS)


def open_connection(path: Path, *, read_only: bool, wait_seconds: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds the write lock, up to wait_seconds."""
    if read_only and not path.exists():
        raise WarehouseMissing(f"no warehouse at {path}; run `tokentide ingest` or `tokentide app` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            conn = duckdb.connect(str(path), read_only=read_only)
            # A query naming a missing table must fail, not silently read a Python variable of that name
            conn.execute("SET python_enable_replacements = false")
            return conn
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(f"cannot open warehouse {path}: {str(exc).splitlines()[0]}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse {path} is locked by another tokentide process (a collect or schedule "
                    f"run?); waited {wait_seconds:.0f} s"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


log = logging.getLogger(__name__)
_process_locks: dict[Path, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def _process_lock(path: Path) -> threading.Lock:
    """DuckDB's file lock is per process: two threads of one process (scheduler jobs) would share the
    database and could publish a copy while the other is mid-write. This lock makes them take turns."""
    key = path.expanduser().resolve()
    with _process_locks_guard:
        return _process_locks.setdefault(key, threading.Lock())


def _roll_back_and_publish(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    """After a failure, what was committed before it (e.g. the run log) still reaches readers."""
    try:
        conn.execute("ROLLBACK")
    except duckdb.Error:
        pass  # no transaction was open
    try:
        publish(conn, path)
    except (duckdb.Error, OSError) as exc:
        log.warning("could not publish %s after a failed write: %s", path, exc)


@contextmanager
def writer(path: Path, wait_seconds: float = 60.0, publish_after: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived write connection with the schema brought up to date; on exit the warehouse is
    published for readers (see publish.py), after rolling back any unfinished transaction."""
    started = time.monotonic()
    lock = _process_lock(path)
    if not lock.acquire(timeout=max(wait_seconds, 0.0)):
        raise WarehouseBusy(f"warehouse {path} is being written by another thread; waited {wait_seconds:.0f} s")
    try:
        remaining = max(0.0, wait_seconds - (time.monotonic() - started))
        conn = open_connection(path, read_only=False, wait_seconds=remaining)
        try:
            migrate(conn)
            yield conn
        except BaseException:
            if publish_after:
                _roll_back_and_publish(conn, path)
            raise
        else:
            if publish_after:
                publish(conn, path)
        finally:
            conn.close()
    finally:
        lock.release()


@contextmanager
def reader(path: Path, wait_seconds: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read the published copy (never locked by a writer); fall back to the file itself if it was
    never published, e.g. a warehouse written by an older tokentide."""
    published = published_path(path)
    target = published if published.exists() else path
    conn = open_connection(target, read_only=True, wait_seconds=wait_seconds)
    try:
        yield conn
    finally:
        conn.close()
