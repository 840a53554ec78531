"""Copy the curated reference CSVs into the warehouse so views can join them."""

from __future__ import annotations

import duckdb

from tokentide.warehouse.naming import reference_rows


def sync_reference(conn: duckdb.DuckDBPyConnection) -> None:
    authors = [
        (r["author"].strip().lower(), r.get("display_name"), (r.get("country") or "").strip().upper() or None,
         r.get("source_url"))
        for r in reference_rows("authors.csv") if (r.get("author") or "").strip()
    ]  # fmt: skip
    providers = [
        (r["provider"].strip().lower(), r.get("display_name"),
         (r.get("first_party_author") or "").strip().lower() or None,
         (r.get("country") or "").strip().upper() or None, r.get("source_url"))
        for r in reference_rows("providers.csv") if (r.get("provider") or "").strip()
    ]  # fmt: skip
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.execute("DELETE FROM ref_authors")
        conn.execute("DELETE FROM ref_providers")
        if authors:
            conn.executemany("INSERT OR REPLACE INTO ref_authors VALUES (?, ?, ?, ?)", authors)
        if providers:
            conn.executemany("INSERT OR REPLACE INTO ref_providers VALUES (?, ?, ?, ?, ?)", providers)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise
