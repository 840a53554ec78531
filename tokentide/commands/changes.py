"""`tokentide changes`: the price-change log (and cross-source discrepancies), as text or JSON."""

from __future__ import annotations

import argparse
import sys

import duckdb

from tokentide.collectors.sources import collect_settings
from tokentide.commands.common import iso_datetime, print_json, settings_from
from tokentide.warehouse.connection import reader
from tokentide.warehouse.price_changes import (
    DIRECTIONS,
    ChangeLogMissing,
    PriceChange,
    discrepancies_frame,
    passes,
    price_changes,
)

_MIGRATE = "this warehouse predates the change log; run any write command (e.g. `tokentide collect`) to migrate it"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("changes", help="list price changes, new and delisted models, free/paid flips")
    parser.add_argument("--since", type=iso_datetime, default=None, metavar="DATE", help="first seen on or after")
    parser.add_argument("--min-pct", type=float, default=None, metavar="X", help="only moves of at least X%%")
    parser.add_argument("--direction", choices=DIRECTIONS, default="both", help="price moves up, down or both")
    parser.add_argument("--source", default=None, help="only this source")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the newest N changes")
    parser.add_argument(
        "--discrepancies",
        action="store_true",
        help="instead: current prices that two sources state more than --min-pct (or threshold_pct) apart",
    )
    parser.add_argument("--json", action="store_true", help="print JSON (one object per change)")
    parser.set_defaults(run=run)


def _line(change: PriceChange) -> str:
    return (
        f"{change.first_seen_at:%Y-%m-%d %H:%M}  {change.describe()}  "
        f"[snapshot {change.previous_snapshot_id or '-'} -> {change.snapshot_id}]"
    )


def _discrepancies(args: argparse.Namespace) -> int:
    threshold = (
        args.min_pct
        if args.min_pct is not None
        else collect_settings(settings_from(args), args.db).discrepancy_threshold_pct
    )
    with reader(args.db) as conn:
        frame = discrepancies_frame(conn, threshold)
    if args.source:
        frame = frame[(frame["source_a"] == args.source) | (frame["source_b"] == args.source)]
    if args.json:
        print_json(frame.to_dict(orient="records"))
        return 0
    for row in frame.itertuples():
        print(
            f"{row.canonical_model_id} @ {row.provider} {row.field}: {row.source_a} {row.value_a:g} vs "
            f"{row.source_b} {row.value_b:g} ({row.pct_apart:.1f}% apart)"
        )
    print(f"{len(frame)} discrepancies above {threshold:g}%", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    try:
        if args.discrepancies:
            return _discrepancies(args)
        with reader(args.db) as conn:
            rows = price_changes(conn, since=args.since, source=args.source)
    except (ChangeLogMissing, duckdb.CatalogException):
        print(f"tokentide changes: {_MIGRATE}", file=sys.stderr)
        return 2
    rows = [change for change in rows if passes(change, args.min_pct, args.direction)]
    if args.limit is not None:
        rows = rows[-args.limit :] if args.limit > 0 else []
    if args.json:
        print_json([change.to_json_dict() for change in rows])
    else:
        for change in rows:
            print(_line(change))
        print(f"{len(rows)} change(s)", file=sys.stderr)
    return 0
