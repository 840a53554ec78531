"""`tokentide reparse`: rebuild observations and intervals from stored raw snapshots (no re-fetch)."""

from __future__ import annotations

import argparse

from tokentide.collectors.loading import reparse_source
from tokentide.collectors.registry import SOURCES
from tokentide.warehouse.connection import writer
from tokentide.warehouse.reference_sync import sync_reference
from tokentide.warehouse.reparse import stored_sources


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("reparse", help="re-parse stored raw snapshots with the current parsers")
    parser.add_argument("--source", choices=sorted(SOURCES), default=None, help="only this source")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with writer(args.db) as conn:
        sync_reference(conn)
        sources = [args.source] if args.source else stored_sources(conn)
        for source in sources:
            print(reparse_source(conn, source).summary_line())
    return 0
