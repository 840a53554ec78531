"""`tokentide ingest`: load recorded payload files (gzip accepted) through the same path as collectors."""

from __future__ import annotations

import argparse
import gzip
import sys
from datetime import datetime
from pathlib import Path

from tokentide.collectors.loading import compact, load_payload
from tokentide.collectors.registry import SOURCES
from tokentide.commands.common import iso_datetime, settings_from
from tokentide.warehouse.asof import date_in_name
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.connection import writer
from tokentide.warehouse.load import LoadOutcome
from tokentide.warehouse.reference_sync import sync_reference
from tokentide.warehouse.snapshots import Payload


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ingest", help="load recorded payload files into the warehouse")
    parser.add_argument("--source", required=True, choices=sorted(SOURCES), help="payload format")
    parser.add_argument(
        "--as-of", type=iso_datetime, default=None, help="when the data was current (default: from payload)"
    )
    parser.add_argument("--force", action="store_true", help="apply snapshots the guard would hold back")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.set_defaults(run=run)


def read_file(path: Path) -> bytes:
    """The payload bytes; a .gz file (or gzip magic) is decompressed."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise OSError(f"corrupt gzip: {exc}") from exc
    return data


def _order(files: list[Path]) -> list[Path]:
    """Files with a date in their name go in date order, so intervals advance without replays."""

    def key(path: Path) -> tuple[datetime, str]:
        return (date_in_name(path.name) or datetime.max, path.name)

    return sorted(files, key=key)


def _one_line_error(path: Path, message: str) -> str:
    return f"failed: {path}: {message}".replace("\n", " ")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    failures = 0
    outcomes: list[LoadOutcome] = []
    with writer(args.db) as conn:
        sync_reference(conn)
        for path in _order(list(args.files)):
            try:
                raw = read_file(path)
            except OSError as exc:
                print(_one_line_error(path, exc.strerror or str(exc)), file=sys.stderr)
                failures += 1
                continue
            payload = Payload(args.source, path.name, raw, utc_now(), as_of=args.as_of)
            outcome = load_payload(conn, payload, settings.guard, force=args.force)
            outcomes.append(outcome)
            if outcome.failed:
                failures += 1
                print(_one_line_error(path, outcome.message or "unknown error"), file=sys.stderr)
            else:
                print(outcome.summary_line())
        if sum(o.status == "added" for o in outcomes) > 1:  # a bulk load (a backfill): fold what it repeated
            folded = compact(conn)
            if folded.folded:
                print(folded.summary_line())
        if any(o.intervals_opened or o.intervals_closed for o in outcomes):
            from tokentide.reporting.half_life_record import try_record_estimates  # scipy: only when needed

            try_record_estimates(conn, settings.tier_overrides)
    guarded = sum(o.status == "guarded" for o in outcomes)
    if guarded:
        print(
            f"warning: {guarded} snapshot(s) held back by the guard (kept raw, not applied); "
            "see `tokentide status`, or re-run with --force to apply",
            file=sys.stderr,
        )
    return 1 if failures else 0
