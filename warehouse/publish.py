"""Readers never meet the writer: after each write a read-only copy is brought up to date and swapped in.

DuckDB lets one process write a file, and while it does no other process can open it at all. So readers
open `<name>.read.duckdb`, a symbolic link to one of two copies (slots `a` and `b`) holding every table but
the per-snapshot observation rows (writers only; see read_copy.py). After each write the
writer brings the slot readers are *not* using up to date with only the rows that changed (read_copy.py),
checkpoints it, fsyncs it, and atomically repoints the link. A reader sees the state after some complete
write, never a half-written one, and never waits for or blocks the scheduler. The first publish, a schema
change, or a slot still held open by a slow reader fall back to a full copy of the file, as before.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tokentide.warehouse import faults
from tokentide.warehouse.read_copy import COPY, empty_writer_only_tables, schema_signature, sync_tables

log = logging.getLogger(__name__)
SLOTS: tuple[str, ...] = ("a", "b")
ATTACH_WAIT_SECONDS = 2.0  # a reader still inside the spare slot usually leaves within one query


@dataclass(frozen=True)
class PublishResult:
    target: Path  # the slot now published
    mode: str  # incremental | full
    rows_copied: int | None = None  # rows written by an incremental sync; None for a full copy


def published_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.read{db.suffix or '.duckdb'}")


def slot_path(db: Path, slot: str) -> Path:
    published = published_path(db)
    return published.with_name(f".{published.stem}-{slot}{published.suffix}")


def remove_stale_staging(target: Path) -> None:
    """Staging copies and links left by a writer that died mid-publish. Only the writer holding the warehouse
    lock publishes, so while it does, every other staging file is stale."""
    for pattern in (f".{target.name}.*.tmp", f".{target.name}.*.link"):
        for stale in target.parent.glob(pattern):
            stale.unlink(missing_ok=True)


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _current_slot(db: Path) -> str | None:
    try:
        name = os.readlink(published_path(db))
    except OSError:  # absent, or a plain file written by an older tokentide
        return None
    return next((slot for slot in SLOTS if Path(name).name == slot_path(db, slot).name), None)


def _full_copy(conn: duckdb.DuckDBPyConnection, db: Path, target: Path) -> None:
    """Checkpoint (fold the WAL into the file), copy it, fsync, then atomically rename it to target."""
    conn.execute("CHECKPOINT")
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(db, staging)
        faults.maybe_die("mid-publish")
        conn.execute(f"ATTACH {_literal(staging)} AS {COPY}")
        try:
            empty_writer_only_tables(conn)
            conn.execute(f"CHECKPOINT {COPY}")
        finally:
            conn.execute(f"DETACH {COPY}")
        _fsync_file(staging)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _attach(conn: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Attach the spare slot for writing, waiting briefly for a reader to leave it; False if it cannot be."""
    literal = _literal(path)
    deadline = time.monotonic() + ATTACH_WAIT_SECONDS
    while True:
        try:
            conn.execute(f"ATTACH {literal} AS {COPY}")
            return True
        except duckdb.Error as exc:
            if time.monotonic() >= deadline:
                log.info("spare read copy %s not usable (%s); copying the warehouse whole", path, exc)
                return False
            time.sleep(0.05)


def _sync_slot(conn: duckdb.DuckDBPyConnection, target: Path) -> int | None:
    """Rows copied into target by an incremental sync, or None when it needs a full copy instead."""
    if not target.exists() or not _attach(conn, target):
        return None
    try:
        main = str(conn.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
        if schema_signature(conn, main) != schema_signature(conn, COPY):
            return None
        counts = sync_tables(conn, main)
        faults.maybe_die("mid-publish")
        conn.execute(f"CHECKPOINT {COPY}")
        return counts.rows
    except duckdb.Error as exc:  # e.g. a table another version added in a shape the sync cannot follow
        log.warning("read copy %s not synced (%s); copying the warehouse whole", target, exc)
        return None
    finally:
        conn.execute(f"DETACH {COPY}")


def _point_to(db: Path, target: Path) -> bool:
    """Atomically repoint the published link at target; False where symbolic links cannot be made."""
    published = published_path(db)
    link = published.with_name(f".{published.name}.{os.getpid()}.link")
    link.unlink(missing_ok=True)
    try:
        os.symlink(target.name, link)
    except (OSError, NotImplementedError):
        return False
    os.replace(link, published)
    _fsync_directory(published.parent)
    return True


def publish_read_copy(conn: duckdb.DuckDBPyConnection, db: Path) -> PublishResult:
    """Bring the spare slot up to date (incrementally when it can), then swap it in for readers."""
    for path in (published_path(db), *(slot_path(db, slot) for slot in SLOTS)):
        remove_stale_staging(path)
    current = _current_slot(db)
    spare = slot_path(db, SLOTS[1] if current == SLOTS[0] else SLOTS[0])
    rows = _sync_slot(conn, spare)
    if rows is None:
        _full_copy(conn, db, spare)
    else:
        _fsync_file(spare)
    if not _point_to(db, spare):  # no symbolic links here: publish a plain copy, as older versions did
        _full_copy(conn, db, published_path(db))
        return PublishResult(published_path(db), "full")
    return PublishResult(spare, "incremental" if rows is not None else "full", rows)


def publish(conn: duckdb.DuckDBPyConnection, db: Path) -> Path:
    """Publish the warehouse for readers; returns the path readers open."""
    publish_read_copy(conn, db)
    return published_path(db)
