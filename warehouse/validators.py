"""Remembered HTTP validators (ETag, Last-Modified) per source URL, so the next fetch can be conditional."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from tokentide.warehouse.clock import utc_now


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators remembered from the last stored response of a URL."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def load_validators(conn: duckdb.DuckDBPyConnection, source: str, url: str) -> Validators:
    row = conn.execute(
        "SELECT etag, last_modified FROM http_validators WHERE source = ? AND url = ?", [source, url]
    ).fetchone()
    return Validators(row[0], row[1]) if row else Validators()


def save_validators(
    conn: duckdb.DuckDBPyConnection, source: str, url: str, validators: Validators, sha256: str | None
) -> None:
    """Keep the validators of a stored response; a response without any forgets the old ones."""
    if not (validators.etag or validators.last_modified):
        conn.execute("DELETE FROM http_validators WHERE source = ? AND url = ?", [source, url])
        return
    conn.execute(
        "INSERT OR REPLACE INTO http_validators VALUES (?, ?, ?, ?, ?, ?)",
        [source, url, validators.etag, validators.last_modified, sha256, utc_now()],
    )
