"""`tokentide schedule`: collect every source on its interval, in the foreground, until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse

from tokentide.collectors.schedule import CollectSchedule
from tokentide.collectors.sources import COLLECTED, collect_settings
from tokentide.commands.common import settings_from


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schedule", help="collect each source on its interval until stopped")
    parser.add_argument(
        "--source",
        action="append",
        choices=list(COLLECTED),
        metavar="SOURCE",
        help="only this source (repeatable; default: every enabled source)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = collect_settings(settings_from(args), args.db)
    schedule = CollectSchedule(args.db, config, sources=args.source)
    if not schedule.scheduler.get_jobs():
        print("tokentide schedule: no source is enabled; see [sources.*] in the config")
        return 2
    return schedule.run_until_signalled()
