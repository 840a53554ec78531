"""Backfill a catalogue source from a package's release history: one price-map member per wheel, loaded in order.

Each release's member is fetched by range requests (wheel_member), stored verbatim as a raw snapshot whose
as-of is the wheel's upload time, and loaded through the same path as `tokentide ingest`. Fetches run in a
small thread pool; loads run in upload order on the caller's connection, each in its own transaction, and
every release is logged in the run log (kind 'backfill', origin = wheel URL#member), so a rerun skips what
is done and ends where an uninterrupted run would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import httpx

from tokentide.collectors.errors import CollectError
from tokentide.collectors.fetching import RetryPolicy, Timing
from tokentide.collectors.loading import load_payload
from tokentide.collectors.pypi_index import DEFAULT_INDEX_URL, Release, fetch_page, parse_page, select_releases
from tokentide.collectors.registry import source_module
from tokentide.collectors.wheel_member import (
    TAIL_BYTES,
    CorruptMember,
    MemberMissing,
    MemberRead,
    describe,
    read_member,
)
from tokentide.settings.config import GuardSettings
from tokentide.warehouse import snapshots
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.load import LoadOutcome
from tokentide.warehouse.runs import RunCounts, finish_run, start_run
from tokentide.warehouse.snapshots import Payload

KIND = "backfill"
Reader = Callable[[Release], MemberRead]
AS_OF_BASIS = "package upload time"
MAX_CONCURRENCY = 4


@dataclass(frozen=True)
class PackageSource:
    """A catalogue source whose price map ships inside a package's wheels."""

    source: str
    package: str
    member: str
    git_path: str  # the same price file in the source's git repository (for --git)


BACKFILL_SOURCES = {
    "litellm": PackageSource(
        "litellm",
        "litellm",
        "litellm/model_prices_and_context_window_backup.json",
        "model_prices_and_context_window.json",
    ),  # fmt: skip
}


@dataclass(frozen=True)
class BackfillOptions:
    since: datetime | None = None
    until: datetime | None = None
    every: str = "release"
    index_url: str = DEFAULT_INDEX_URL
    concurrency: int = MAX_CONCURRENCY
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    timing: Timing = field(default_factory=Timing)


@dataclass(frozen=True)
class Plan:
    listed: int
    selected: tuple[Release, ...]
    todo: tuple[Release, ...]  # selected minus releases a previous run finished
    skipped_yanked: int
    skipped_prerelease: int

    @property
    def whole_wheel_bytes(self) -> int:
        return sum(r.size_bytes or 0 for r in self.todo)


@dataclass(frozen=True)
class ReleaseOutcome:
    release: Release
    status: str  # added | unchanged | guarded | no-member | failed
    bytes_fetched: int = 0
    method: str | None = None
    load: LoadOutcome | None = None
    message: str | None = None

    def line(self) -> str:
        return f"{self.status}: {self.release.filename}: {self.message or ''}".rstrip(": ").replace("\n", " ")


@dataclass
class Tally:
    """What a backfill did so far; the progress bar and the summary line read it."""

    total: int
    done: int = 0
    bytes_fetched: int = 0
    whole_wheel_bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    rows_added: int = 0
    intervals_opened: int = 0
    intervals_closed: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, outcome: ReleaseOutcome) -> None:
        self.done += 1
        self.bytes_fetched += outcome.bytes_fetched
        self.whole_wheel_bytes += outcome.release.size_bytes or 0
        self.counts[outcome.status] = self.counts.get(outcome.status, 0) + 1
        if outcome.load is not None:
            self.rows_added += outcome.load.rows_added
            self.intervals_opened += outcome.load.intervals_opened
            self.intervals_closed += outcome.load.intervals_closed

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def summary_line(self, source: str, skipped_done: int) -> str:
        whole = self.whole_wheel_bytes
        share = f" ({self.bytes_fetched / whole:.1%} of the {whole / 1e6:,.1f} MB of whole wheels)" if whole else ""
        states = ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items())) or "nothing to do"
        return (
            f"backfill {source}: {self.done} release(s): {states}; {skipped_done} already done; "
            f"{self.bytes_fetched / 1e6:.1f} MB fetched{share}; rows added {self.rows_added}, "
            f"intervals opened {self.intervals_opened} closed {self.intervals_closed}; {self.seconds:.0f} s"
        )


def origin_of(release: Release, member: str) -> str:
    return f"{release.url}#{member}"


def finished_origins(conn: duckdb.DuckDBPyConnection, source: str) -> set[str]:
    """Origins a backfill already finished (loaded, unchanged, kept as guarded, or a wheel without the member);
    failures (404s, corrupt members, network) are tried again."""
    rows = conn.execute(
        "SELECT DISTINCT origin FROM runs WHERE kind = ? AND source = ? "
        "AND status IN ('ok', 'unchanged', 'guarded', 'no-member')",
        [KIND, source],
    ).fetchall()
    return {str(r[0]) for r in rows}


def plan(client: httpx.Client, spec: PackageSource, options: BackfillOptions, done: set[str]) -> Plan:
    """List the package's releases and choose what to fetch; raises a CollectError if the index fails."""
    page = fetch_page(client, options.index_url, spec.package, policy=options.policy, timing=options.timing)
    assert page.raw is not None
    listing = parse_page(page.raw, page.url, spec.package)
    chosen = select_releases(listing.releases, since=options.since, until=options.until, every=options.every)
    todo = tuple(r for r in chosen if origin_of(r, spec.member) not in done)
    return Plan(len(listing.releases), tuple(chosen), todo, listing.skipped_yanked, listing.skipped_prerelease)


def plan_git(releases: list[Release], spec: PackageSource, options: BackfillOptions, done: set[str]) -> Plan:
    """The same choice as `plan`, over a git file's commits (`spec.member` is the file's path in the repository)."""
    chosen = select_releases(releases, since=options.since, until=options.until, every=options.every)
    todo = tuple(r for r in chosen if origin_of(r, spec.member) not in done)
    return Plan(len(releases), tuple(chosen), todo, 0, 0)


def estimate_bytes(client: httpx.Client, spec: PackageSource, plan_: Plan, options: BackfillOptions) -> int | None:
    """Range-read cost of the plan: per release the 64 KiB tail plus the newest release's member (the maps
    only grow, so the newest is the largest) compressed; reads that one member's directory (64 KiB)."""
    if not plan_.todo:
        return 0
    newest = plan_.todo[-1]
    try:
        read = read_member(client, newest.url, spec.member, sha256=newest.sha256, policy=options.policy,
                           timing=options.timing)  # fmt: skip
    except CollectError:
        return None
    member_bytes = read.bytes_fetched - TAIL_BYTES if read.method == "range" else read.bytes_fetched
    return len(plan_.todo) * (TAIL_BYTES + max(0, member_bytes))


def _fetch_in_order(
    client: httpx.Client,
    releases: tuple[Release, ...],
    spec: PackageSource,
    options: BackfillOptions,
    reader: Reader | None = None,
) -> Iterator[tuple[Release, MemberRead | CollectError]]:
    """Fetch with at most `concurrency` requests in flight; yield in upload order."""

    def fetch(release: Release) -> MemberRead | CollectError:
        try:
            if reader is not None:
                return reader(release)
            return read_member(client, release.url, spec.member, sha256=release.sha256, policy=options.policy,
                               timing=options.timing)  # fmt: skip
        except CollectError as exc:
            return exc

    workers = max(1, min(MAX_CONCURRENCY, options.concurrency))
    with ThreadPoolExecutor(workers, thread_name_prefix="backfill") as pool:
        pending: list[tuple[Release, Future[MemberRead | CollectError]]] = []
        queue = iter(releases)
        try:
            for release in queue:
                pending.append((release, pool.submit(fetch, release)))
                if len(pending) >= 2 * workers:
                    done_release, future = pending.pop(0)
                    yield done_release, future.result()
            for done_release, future in pending:
                yield done_release, future.result()
        finally:
            for _, future in pending:
                future.cancel()


def _record_failure(
    conn: duckdb.DuckDBPyConnection, spec: PackageSource, release: Release, exc: CollectError, basis: str
) -> ReleaseOutcome:
    """One line, one failed run; a corrupt member's bytes are kept as a failed raw snapshot. A wheel that
    does not ship the member (LiteLLM 0.1.x) is final, not a failure: it is logged as 'no-member'."""
    origin, message = origin_of(release, spec.member), describe(exc)
    status = "no-member" if isinstance(exc, MemberMissing) else "failed"
    run_id = start_run(conn, KIND, spec.source, origin)
    snapshot_id = None
    raw = exc.raw if isinstance(exc, CorruptMember) else None
    if raw is not None:
        payload = Payload(spec.source, origin, raw, utc_now(), as_of=release.uploaded_at, as_of_basis=basis)
        snapshot_id = snapshots.insert_snapshot(
            conn, payload, as_of=release.uploaded_at, as_of_basis=basis,
            parser_version=source_module(spec.source).PARSER_VERSION, status="failed", status_reason=message,
            counts=(0, 0, 0),
        )  # fmt: skip
    finish_run(conn, run_id, RunCounts(status, snapshot_id=snapshot_id, error=message[:2000]))
    return ReleaseOutcome(release, status, message=message + (f" (kept as snapshot {snapshot_id})" if raw else ""))


def _load(
    conn: duckdb.DuckDBPyConnection,
    spec: PackageSource,
    release: Release,
    read: MemberRead,
    guard: GuardSettings,
    basis: str,
) -> ReleaseOutcome:
    status = {"range": 206, "whole": 200}.get(read.method)
    payload = Payload(
        spec.source, origin_of(release, spec.member), read.raw, utc_now(), as_of=release.uploaded_at,
        http_status=status, as_of_basis=basis,
    )  # fmt: skip
    outcome = load_payload(conn, payload, guard, kind=KIND)
    return ReleaseOutcome(release, outcome.status, read.bytes_fetched, read.method, outcome, outcome.message)


def run_backfill(
    conn: duckdb.DuckDBPyConnection,
    client: httpx.Client,
    spec: PackageSource,
    plan_: Plan,
    options: BackfillOptions,
    guard: GuardSettings,
    on_release: Callable[[ReleaseOutcome, Tally], None] = lambda outcome, tally: None,
    reader: Reader | None = None,
    as_of_basis: str = AS_OF_BASIS,
) -> Tally:
    """Fetch and load every release of the plan, oldest first; a failed release is named and skipped.
    `reader` replaces the range read (the git mode reads blobs); `as_of_basis` says what the dates are."""
    tally = Tally(total=len(plan_.todo))
    for release, read in _fetch_in_order(client, plan_.todo, spec, options, reader):
        if isinstance(read, CollectError):
            outcome = _record_failure(conn, spec, release, read, as_of_basis)
        else:
            outcome = _load(conn, spec, release, read, guard, as_of_basis)
        tally.add(outcome)
        on_release(outcome, tally)
    return tally
