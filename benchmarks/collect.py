"""`tokentide collect` with no network: every source fails to connect; wall time of the whole run."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from benchmarks.ingest import scratch
from benchmarks.measure import Row, seconds
from tokentide.collectors.fetching import make_client
from tokentide.collectors.run import Collector, CollectOutcome
from tokentide.collectors.sources import collect_settings
from tokentide.settings.config import Settings

SOURCES = ("openrouter", "modelsdev", "litellm", "genai-prices", "epoch")  # every default source with a URL
TARGET_SECONDS = 15.0


def _unreachable(message: str, attempts: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.url.host)
        raise httpx.ConnectError(message, request=request)

    return httpx.MockTransport(handler)


def _run(db: Path, message: str) -> tuple[float, list[CollectOutcome], int]:
    attempts: list[str] = []
    transport = _unreachable(message, attempts)
    config = collect_settings(Settings(path=None, raw={}), db)  # the defaults: real retry policy and timeouts
    collector = Collector(db, config, client_factory=lambda: make_client(transport=transport))
    started = time.perf_counter()
    try:
        outcomes = collector.run_all(list(SOURCES), lambda outcome: None)
    finally:
        collector.close()
    return time.perf_counter() - started, outcomes, len(attempts)


def unreachable_rows() -> list[Row]:
    """DNS says no such name: fatal, one attempt each. DNS not answering at all (EAI_AGAIN) is retried with
    the default backoff (at most 1-2 + 2-4 + 4-8 s of sleeps), once per host: the next source on a host
    that could not be reached fails at once."""
    rows = []
    cases = (
        ("every source unreachable: name not known", "[Errno -2] Name or service not known", True),
        ("every source unreachable: DNS not answering (retried)", "[Errno -3] Temporary failure in name resolution",
         True),
    )  # fmt: skip
    for name, message, targeted in cases:
        with scratch() as folder:
            took, outcomes, attempts = _run(folder / "w.duckdb", message)
        failed = sum(o.status == "failed" for o in outcomes)
        rows.append(Row(
            "collect", f"`tokentide collect`, {name}", seconds(took), "58 s before (sequential, 4 tries each)"
            if targeted else "—", None, f"≤ {TARGET_SECONDS:g} s" if targeted else "—",
            took <= TARGET_SECONDS if targeted else None,
            f"{len(SOURCES)} sources concurrently ([collect] max_parallel 8, per_host 1), {attempts} connection "
            f"attempts, {failed} failed; MockTransport raising httpx.ConnectError, real retry policy and sleeps",
        ))  # fmt: skip
    return rows
