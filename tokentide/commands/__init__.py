"""Sub-commands of the tokentide CLI: each module has register(subparsers) and sets args.run."""

from __future__ import annotations

from tokentide.commands import check, ingest, reparse, serve, status

COMMANDS = (serve, ingest, reparse, status, check)
