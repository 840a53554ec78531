"""Loading and re-parsing with the right parser: looks each source up in the registry and hands it to the warehouse."""

from __future__ import annotations

import duckdb

from tokentide.collectors.registry import source_module
from tokentide.warehouse import load, reparse
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
