"""Sub-commands of the tokentide CLI: each module has register(subparsers) and sets args.run."""

from __future__ import annotations

from tokentide.commands import (
    backfill,
    changes,
    check,
    collect,
    compact,
    dates,
    export,
    ingest,
    reparse,
    report,
    schedule,
    serve,
    status,
)

COMMANDS = (serve, ingest, reparse, status, check, collect, schedule, changes, report, export, backfill, dates, compact)
