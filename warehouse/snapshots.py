"""Raw snapshots: the verbatim payload (gzip) with source, origin, times, sha256 and parse status."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import duckdb

from tokentide.warehouse.clock import utc_now


@dataclass(frozen=True)
class Payload:
    """Bytes as received (already un-gzipped if the file was gzip), with where and when."""

    source: str
    origin: str
    raw: bytes
    fetched_at: datetime
    as_of: datetime | None = None
    http_status: int | None = None
    as_of_basis: str | None = None  # how the caller knows as_of (e.g. "package upload time"); None: given

    @cached_property
    def sha256(self) -> str:  # hashed once: the loader asks for it several times
        return hashlib.sha256(self.raw).hexdigest()


@dataclass(frozen=True)
class StoredSnapshot:
    snapshot_id: int
    as_of: datetime
    status: str
    status_reason: str | None


def find_same_bytes(conn: duckdb.DuckDBPyConnection, source: str, sha256: str) -> list[StoredSnapshot]:
    rows = conn.execute(
        "SELECT snapshot_id, as_of, status, status_reason FROM raw_snapshots "
        "WHERE source = ? AND sha256 = ? ORDER BY as_of DESC, snapshot_id DESC",
        [source, sha256],
    ).fetchall()
    return [StoredSnapshot(int(r[0]), r[1], str(r[2]), r[3]) for r in rows]


def latest_applied(conn: duckdb.DuckDBPyConnection, source: str) -> StoredSnapshot | None:
    row = conn.execute(
        "SELECT snapshot_id, as_of, status, status_reason FROM raw_snapshots "
        "WHERE source = ? AND status = 'applied' ORDER BY as_of DESC, snapshot_id DESC LIMIT 1",
        [source],
    ).fetchone()
    return StoredSnapshot(int(row[0]), row[1], str(row[2]), row[3]) if row else None


def insert_snapshot(
    conn: duckdb.DuckDBPyConnection,
    payload: Payload,
    *,
    as_of: datetime,
    as_of_basis: str,
    parser_version: str,
    status: str,
    status_reason: str | None,
    counts: tuple[int, int, int],
) -> int:
    row = conn.execute(
        "INSERT INTO raw_snapshots (source, origin, fetched_at, as_of, as_of_basis, sha256, byte_size, "
        "http_status, payload_gzip, parser_version, status, status_reason, n_read, n_records, n_quarantined) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING snapshot_id",
        [
            payload.source,
            payload.origin,
            payload.fetched_at,
            as_of,
            as_of_basis,
            payload.sha256,
            len(payload.raw),
            payload.http_status,
            gzip.compress(payload.raw, compresslevel=1, mtime=0),
            parser_version,
            status,
            status_reason,
            *counts,
        ],
    ).fetchone()
    assert row is not None
    return int(row[0])


def update_status(
    conn: duckdb.DuckDBPyConnection,
    snapshot_id: int,
    status: str,
    reason: str | None,
    parser_version: str,
    counts: tuple[int, int, int],
    as_of: datetime | None = None,
) -> None:
    conn.execute(
        "UPDATE raw_snapshots SET status = ?, status_reason = ?, parser_version = ?, n_read = ?, "
        "n_records = ?, n_quarantined = ?, as_of = coalesce(?, as_of), revision = coalesce(revision, 0) + 1 "
        "WHERE snapshot_id = ?",
        [status, reason, parser_version, *counts, as_of, snapshot_id],
    )


def read_payload(conn: duckdb.DuckDBPyConnection, snapshot_id: int) -> bytes:
    row = conn.execute("SELECT payload_gzip FROM raw_snapshots WHERE snapshot_id = ?", [snapshot_id]).fetchone()
    if row is None:
        raise KeyError(f"no raw snapshot {snapshot_id}")
    return gzip.decompress(bytes(row[0]))


def stamp() -> datetime:
    return utc_now()
