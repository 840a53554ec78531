"""`tokentide collect`: fetch the sources that are due (or all of them, --once) now, and exit."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from tokentide.collectors import openrouter_endpoints
from tokentide.collectors.run import Collector, CollectOutcome
from tokentide.collectors.sources import COLLECTED, CollectSettings, collect_settings, format_duration
from tokentide.commands.common import settings_from


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("collect", help="fetch live price lists now (the sources that are due)")
    parser.add_argument(
        "--source",
        action="append",
        choices=list(COLLECTED),
        metavar="SOURCE",
        help=f"only this source (repeatable): {', '.join(COLLECTED)}",
    )
    parser.add_argument("--once", action="store_true", help="collect each selected source now, even if not due")
    parser.add_argument("--force", action="store_true", help="apply snapshots the guard would hold back")
    parser.add_argument(
        "--wait",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long to wait for another writer to finish (default: [collect] lock_wait_seconds, 60)",
    )
    parser.set_defaults(run=run)


def selected(config: CollectSettings, names: list[str] | None) -> list[str]:
    """Named sources run even when disabled in the config; otherwise every enabled one."""
    return list(dict.fromkeys(names)) if names else [s.name for s in config.enabled()]


def _report(outcome: CollectOutcome) -> None:
    if outcome.failed:
        print(f"{outcome.status}: {outcome.source}: {outcome.message}".replace("\n", " "), file=sys.stderr)
    else:
        print(outcome.summary_line())


def run(args: argparse.Namespace) -> int:
    config = collect_settings(settings_from(args), args.db)
    if args.wait is not None:
        config = dataclasses.replace(config, lock_wait_seconds=max(0.0, args.wait))
    collector = Collector(args.db, config, force=args.force)
    names = selected(config, args.source)
    endpoints = config.sources[openrouter_endpoints.SOURCE]
    if openrouter_endpoints.SOURCE in names and not (endpoints.follow or endpoints.follow_all):
        names.remove(openrouter_endpoints.SOURCE)
        print(
            "skipped: openrouter-endpoints: no models to follow; set follow = [...] or follow_all = true "
            "in [sources.openrouter-endpoints]",
            file=sys.stderr,
        )
    due = names if args.once else collector.due(names)
    for name in names:
        if name not in due:
            every = format_duration(config.sources[name].every_seconds)
            print(f"not due: {name} (collected within the last {every}; --once collects anyway)")
    try:
        outcomes = collector.run_all(due, _report)  # concurrently; one line per source, in order
    finally:
        collector.close()
    guarded = [o.source for o in outcomes if o.status == "guarded"]
    if guarded:
        print(
            f"warning: held back by the guard (kept raw, not applied): {', '.join(guarded)}; see `tokentide status`, "
            "or re-run with --once --force to apply",
            file=sys.stderr,
        )
    return 1 if any(o.failed for o in outcomes) else 0
