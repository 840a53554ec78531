"""`tokentide schedule`: collect every source on its interval, in the foreground, until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse

from tokentide.collectors.backfill_job import add_jobs
from tokentide.collectors.backfill_settings import backfill_options, schedule_every_seconds
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
    settings = settings_from(args)
    config = collect_settings(settings, args.db)
    schedule = CollectSchedule(args.db, config, sources=args.source)
    every = schedule_every_seconds(settings)
    if every is not None and not args.source:  # new releases of sources backfilled before
        add_jobs(schedule.scheduler, args.db, backfill_options(settings, config.retry), settings.guard, every)
    if not schedule.scheduler.get_jobs():
        print("tokentide schedule: no source is enabled; see [sources.*] in the config")
        return 2
    return schedule.run_until_signalled()
