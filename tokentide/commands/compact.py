"""`tokentide compact`: fold observations that only confirm an unchanged price (raw snapshots are kept)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from tokentide.collectors.loading import compact
from tokentide.collectors.registry import SOURCES
from tokentide.commands.common import print_json
from tokentide.warehouse.connection import writer


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compact", help="fold repeated observations of unchanged prices into the intervals they confirm"
    )
    parser.add_argument("--source", choices=sorted(SOURCES), default=None, help="only this source")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with writer(args.db) as conn:
        result = compact(conn, args.source)
    if args.json:
        print_json(asdict(result))
    else:
        print(result.summary_line())
    return 0
