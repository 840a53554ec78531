"""Sub-commands of the tokentide CLI: each module has register(subparsers) and sets args.run."""

from __future__ import annotations

from tokentide.commands import (
    changes,
    check,
    collect,
    compact,
    export,
    ingest,
    reparse,
    report,
    schedule,
    serve,
    status,
)

COMMANDS = (serve, ingest, reparse, status, check, collect, schedule, changes, report, export, compact)
