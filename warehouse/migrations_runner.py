"""Forward-only schema migrations: migrations/NNN_name.sql, applied in order, recorded in schema_version."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import duckdb

from tokentide.warehouse.clock import utc_now

_HISTORY_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
)


@lru_cache(maxsize=1)
def available_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("tokentide.warehouse").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def schema_version(conn: duckdb.DuckDBPyConnection) -> int:
    """The recorded version, 0 for a new file. Asks the table directly: a catalog view such as
    information_schema costs ~5 ms on a fresh connection, and every writer asks."""
    try:
        row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def latest_version() -> int:
    migrations = available_migrations()
    return migrations[-1][0] if migrations else 0


def migrate(conn: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the recorded version, each in its own transaction."""
    conn.execute(_HISTORY_DDL)
    current = schema_version(conn)
    for version, name, sql in available_migrations():
        if version <= current:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(sql)
            conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, utc_now()])
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        current = version
    return current
