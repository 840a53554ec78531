"""`tokentide backfill`: load a source's past price maps from its package's release history (read as data)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb
import httpx

from tokentide.collectors import git_history
from tokentide.collectors.backfill import (
    AS_OF_BASIS,
    BACKFILL_SOURCES,
    MAX_CONCURRENCY,
    BackfillOptions,
    PackageSource,
    Plan,
    Reader,
    ReleaseOutcome,
    Tally,
    estimate_bytes,
    finished_origins,
    plan,
    plan_git,
    run_backfill,
)
from tokentide.collectors.backfill_settings import backfill_options
from tokentide.collectors.errors import CollectError
from tokentide.collectors.fetching import make_client
from tokentide.collectors.loading import compact
from tokentide.collectors.pypi_index import EVERY
from tokentide.collectors.sources import collect_settings
from tokentide.commands.common import fail, iso_datetime, settings_from
from tokentide.settings.config import Settings
from tokentide.warehouse.connection import reader, writer
from tokentide.warehouse.publish import published_path
from tokentide.warehouse.reference_sync import sync_reference

BATCH_RELEASES = 25  # releases per write: readers see the history grow, other writers get a turn between batches


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backfill", help="load past price maps from a package's release history (range reads, never installed)"
    )
    parser.add_argument("--source", required=True, choices=sorted(BACKFILL_SOURCES), help="which source to backfill")
    parser.add_argument("--since", type=iso_datetime, default=None, help="first upload date to take (ISO date)")
    parser.add_argument("--until", type=iso_datetime, default=None, help="last upload date to take (ISO date)")
    parser.add_argument(
        "--every", choices=EVERY, default="release", help="take every release, or the newest one per day/week/month"
    )
    parser.add_argument("--dry-run", action="store_true", help="list what would be fetched, with estimated bytes")
    parser.add_argument(
        "--concurrency", type=int, default=None, help=f"parallel downloads, 1..{MAX_CONCURRENCY} (default: setting)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar, only failures and the summary line")
    parser.add_argument(
        "--git", type=Path, default=None, metavar="REPO",
        help="read every commit of the price file in a local git repository instead of the package index",
    )  # fmt: skip
    parser.add_argument(
        "--git-path", default=None, metavar="PATH", help="the price file's path in REPO (default: the source's)"
    )
    parser.set_defaults(run=run)


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _bar(tally: Tally) -> str:
    rate = tally.done / tally.seconds if tally.seconds > 0 else 0.0
    eta = (tally.total - tally.done) / rate if rate > 0 else None
    filled = int(20 * tally.done / tally.total) if tally.total else 20
    eta_text = f"ETA {eta / 60:.0f} min" if eta is not None and eta >= 90 else f"ETA {eta or 0:.0f} s"
    return (
        f"[{'#' * filled}{'.' * (20 - filled)}] {tally.done}/{tally.total} releases, {_mb(tally.bytes_fetched)} "
        f"fetched, {rate:.2f} releases/s, {eta_text}"
    )


class Progress:
    """A one-line bar on a terminal (a line per 10 % otherwise); failures print as their own line."""

    def __init__(self, quiet: bool) -> None:
        self.quiet, self.tty, self.last_decile = quiet, sys.stderr.isatty(), -1

    def __call__(self, outcome: ReleaseOutcome, tally: Tally) -> None:
        if outcome.status in ("failed", "guarded", "no-member"):
            print(("\r\033[K" if self.tty else "") + outcome.line(), file=sys.stderr, flush=True)
        if self.quiet:
            return
        if self.tty:
            print("\r\033[K" + _bar(tally), end="", file=sys.stderr, flush=True)
        elif tally.total and (decile := 10 * tally.done // tally.total) > self.last_decile:
            self.last_decile = decile
            print(_bar(tally), file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.tty and not self.quiet:
            print(file=sys.stderr)


def _dry_run(plan_: Plan, estimate: int | None, member: str) -> None:
    for release in plan_.todo:
        size = _mb(release.size_bytes) if release.size_bytes else "size unknown"
        print(f"would fetch {release.uploaded_at:%Y-%m-%d %H:%M} {release.version:>10} {release.filename} ({size})")
    est = f"about {_mb(estimate)}" if estimate is not None else "unknown (the estimate read failed)"
    print(
        f"dry run: {len(plan_.todo)} of {len(plan_.selected)} selected releases to fetch "
        f"({len(plan_.selected) - len(plan_.todo)} already done; {plan_.listed} final releases listed, "
        f"{plan_.skipped_yanked} yanked and {plan_.skipped_prerelease} pre-releases skipped); range reads of "
        f"{member}: {est}; whole wheels would be {_mb(plan_.whole_wheel_bytes)}"
    )


def _finished(db: Path, source: str, *, read_only: bool) -> set[str]:
    """What earlier runs finished; a dry run only reads (the published copy), so it writes nothing."""
    if read_only:
        if not published_path(db).exists():
            return set()
        with reader(db) as conn:
            return finished_origins(conn, source)
    with writer(db) as conn:
        sync_reference(conn)
        return finished_origins(conn, source)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    spec = BACKFILL_SOURCES[args.source]
    retry = collect_settings(settings, args.db).retry
    options = replace(backfill_options(settings, retry), since=args.since, until=args.until, every=args.every)
    if args.concurrency is not None:
        options = replace(options, concurrency=max(1, min(MAX_CONCURRENCY, args.concurrency)))
    done = _finished(args.db, spec.source, read_only=args.dry_run)
    if args.git is not None:
        return _run_git(args, spec, options, settings, done)
    client = make_client(timeout_seconds=60.0)
    try:
        try:
            plan_ = plan(client, spec, options, done)
        except CollectError as exc:
            fail("backfill", f"listing {spec.package} releases at {options.index_url} failed: {exc}")
            return 1
        if args.dry_run:
            _dry_run(plan_, estimate_bytes(client, spec, plan_, options), spec.member)
            return 0
        return _run_batches(args, client, spec, plan_, options, settings)
    finally:
        client.close()


def _run_git(
    args: argparse.Namespace, spec: PackageSource, options: BackfillOptions, settings: Settings, done: set[str]
) -> int:
    """--git REPO: every commit of the price file, dated by committer time, through the same loader."""
    git_spec = replace(spec, member=args.git_path or spec.git_path)
    try:
        commits = git_history.list_commits(args.git, git_spec.member)
    except CollectError as exc:
        fail("backfill", str(exc))
        return 1
    plan_ = plan_git(commits, git_spec, options, done)
    if args.dry_run:
        for commit in plan_.todo:
            print(f"would read {commit.uploaded_at:%Y-%m-%d %H:%M} {commit.filename}")
        print(
            f"dry run: {len(plan_.todo)} of {len(plan_.selected)} selected commits to read "
            f"({len(plan_.selected) - len(plan_.todo)} already done; {plan_.listed} commits touch {git_spec.member})"
        )
        return 0
    reader = lambda release: git_history.read_blob(args.git, release, git_spec.member)  # noqa: E731
    with make_client() as client:  # unused by the git reader; run_backfill's signature wants one
        return _run_batches(args, client, git_spec, plan_, options, settings, reader, git_history.AS_OF_BASIS)


def _run_batches(
    args: argparse.Namespace,
    client: httpx.Client,
    spec: PackageSource,
    plan_: Plan,
    options: BackfillOptions,
    settings: Settings,
    reader: Reader | None = None,
    as_of_basis: str = AS_OF_BASIS,
) -> int:
    progress = Progress(args.quiet)
    total = Tally(total=len(plan_.todo), started=time.monotonic())
    try:
        for start in range(0, len(plan_.todo), BATCH_RELEASES):
            batch = replace(plan_, todo=plan_.todo[start : start + BATCH_RELEASES])
            with writer(args.db) as conn:
                run_backfill(conn, client, spec, batch, options, settings.guard, _both(progress, total), reader,
                             as_of_basis)  # fmt: skip
                if start + BATCH_RELEASES >= len(plan_.todo):
                    after_backfill(conn, settings, total)
    finally:
        progress.close()
    print(total.summary_line(spec.source, len(plan_.selected) - len(plan_.todo)))
    return 1 if total.counts.get("failed") else 0


def _both(progress: Progress, total: Tally) -> Callable[[ReleaseOutcome, Tally], None]:
    def on_release(outcome: ReleaseOutcome, _batch: Tally) -> None:
        total.add(outcome)
        progress(outcome, total)

    return on_release


def after_backfill(conn: duckdb.DuckDBPyConnection, settings: Settings, tally: Tally) -> None:
    """Post-backfill hook: fold the observations the releases only repeated (warehouse/compaction.py), then
    refresh the half-life estimate history when intervals moved."""
    if tally.counts.get("added"):
        folded = compact(conn)
        if folded.folded:
            print(folded.summary_line())
    if tally.intervals_opened or tally.intervals_closed:
        from tokentide.reporting.half_life_record import try_record_estimates  # scipy: only when needed

        try_record_estimates(conn, settings.tier_overrides)
