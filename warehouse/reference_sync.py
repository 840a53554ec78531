"""Copy the curated reference CSVs into the warehouse so views can join them."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from tokentide.warehouse.naming import reference_rows

_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref_authors": ("author", "display_name", "country", "source_url"),
    "ref_providers": ("provider", "display_name", "first_party_author", "country", "source_url"),
}


def _replace(conn: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple[str | None, ...]]) -> None:
    """Rewrite a reference table only when its rows differ, in one bulk insert (executemany would cost
    a round trip per row, and every writer runs this). The last row of a duplicated key wins."""
    columns = _COLUMNS[table]
    wanted = sorted({row[0]: row for row in rows}.values(), key=lambda row: str(row[0]))
    stored = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1").fetchall()  # noqa: S608 - constants
    if stored == wanted:
        return
    conn.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table name
    if not wanted:
        return
    incoming = pa.table({name: pa.array([row[i] for row in wanted], pa.string()) for i, name in enumerate(columns)})
    conn.register("incoming_reference", incoming)
    try:
        conn.execute(f"INSERT INTO {table} SELECT {', '.join(columns)} FROM incoming_reference")  # noqa: S608
    finally:
        conn.unregister("incoming_reference")


def sync_reference(conn: duckdb.DuckDBPyConnection) -> None:
    authors = [
        (
            r["author"].strip().lower(),
            r.get("display_name"),
            (r.get("country") or "").strip().upper() or None,
            r.get("source_url"),
        )
        for r in reference_rows("authors.csv")
        if (r.get("author") or "").strip()
    ]
    providers = [
        (
            r["provider"].strip().lower(),
            r.get("display_name"),
            (r.get("first_party_author") or "").strip().lower() or None,
            (r.get("country") or "").strip().upper() or None,
            r.get("source_url"),
        )
        for r in reference_rows("providers.csv")
        if (r.get("provider") or "").strip()
    ]
    conn.execute("BEGIN TRANSACTION")
    try:
        _replace(conn, "ref_authors", authors)
        _replace(conn, "ref_providers", providers)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
