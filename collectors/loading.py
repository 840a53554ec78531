"""Loading and re-parsing with the right parser: looks each source up in the registry and hands it to the warehouse."""

from __future__ import annotations

import duckdb

from tokentide.collectors.registry import SOURCES, source_module
from tokentide.warehouse import compaction, load, reparse
from tokentide.warehouse.compaction import CompactionResult
from tokentide.warehouse.guard import GuardSettings
from tokentide.warehouse.load import LoadOutcome
from tokentide.warehouse.reparse import ReparseOutcome
from tokentide.warehouse.snapshots import Payload


def load_payload(
    conn: duckdb.DuckDBPyConnection,
    payload: Payload,
    guard: GuardSettings,
    *,
    force: bool = False,
    kind: str = "ingest",
) -> LoadOutcome:
    """Load one payload with its source's parser; an unknown source raises `UnknownSource` before any write."""
    parser = source_module(payload.source)
    return load.load_payload(conn, payload, guard, parser=parser, force=force, kind=kind)


def reparse_source(conn: duckdb.DuckDBPyConnection, source: str) -> ReparseOutcome:
    """Re-parse every stored snapshot of one source with its current parser."""
    return reparse.reparse_source(conn, source, source_module(source))


def catalogue_sources(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Stored sources that are catalogues (a full price list per snapshot): the ones compaction folds."""
    stored = [str(r[0]) for r in conn.execute("SELECT DISTINCT source FROM raw_snapshots ORDER BY 1").fetchall()]
    return [name for name in stored if getattr(SOURCES.get(name), "KIND", None) == "catalogue"]


def compact(conn: duckdb.DuckDBPyConnection, source: str | None = None) -> CompactionResult:
    """Fold the observations that only confirm an unchanged price, for every catalogue source (or one).
    Call it after a bulk load (a backfill); `tokentide compact` and a many-file `tokentide ingest` do."""
    return compaction.compact(conn, [s for s in catalogue_sources(conn) if source is None or s == source])
