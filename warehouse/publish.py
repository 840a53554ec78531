"""Readers never meet the writer: after each write the warehouse is published as a read-only copy.

DuckDB lets one process write a file, and while it does no other process can open it at all. So every
writer ends by checkpointing and copying the file to a sibling `<name>.read.duckdb`, swapped in with an
atomic rename. The app (and every other reader) opens only that copy: it sees the state after some
complete write, never a half-written snapshot, and never waits for or blocks the scheduler.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from tokentide.warehouse import faults


def published_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.read{db.suffix or '.duckdb'}")


def remove_stale_staging(target: Path) -> None:
    """Staging copies left by a writer that died mid-publish. Only the writer holding the warehouse lock
    publishes, so while it does, every other staging file is stale."""
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
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


def publish(conn: duckdb.DuckDBPyConnection, db: Path) -> Path:
    """Checkpoint (fold the WAL into the file), copy it, fsync, then atomically replace the published copy.

    A reader opens either the old copy or the new one, never a partial file: the copy is complete and
    flushed before the rename, and a reader that already holds the old copy keeps reading that inode.
    """
    conn.execute("CHECKPOINT")
    target = published_path(db)
    remove_stale_staging(target)
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(db, staging)
        faults.maybe_die("mid-publish")
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
        _fsync_directory(target.parent)
    finally:
        staging.unlink(missing_ok=True)
    return target
