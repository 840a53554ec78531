"""A soak of the real schedule against every network fault, all six sources at once, on a fast clock.

Every source is scheduled every fraction of a second against a MockTransport that, seeded, answers half
the requests with a fault (timeouts, resets, 429 with and without Retry-After, 5xx, an HTML error page,
a truncated body, valid JSON of the wrong shape, an empty catalogue, one that lost 90% of its models) and
the rest with a real payload, prices nudged now and then. The schedule must stay up, memory must level
off, and the run log must account for every run. TOKENTIDE_SOAK_RUNS (default 200) sets the length.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import random
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.collectors.helpers import BrokenStream, settings
from tests.conftest import fixture_bytes
from tests.reliability.figures import record
from tests.warehouse.helpers import query
from tokentide.cli import main
from tokentide.collectors.fetching import Timing, make_client
from tokentide.collectors.schedule import CollectSchedule
from tokentide.collectors.sources import COLLECTED

pytestmark = pytest.mark.slow

RUNS = int(os.environ.get("TOKENTIDE_SOAK_RUNS", "200"))
SEED = int(os.environ.get("TOKENTIDE_SOAK_SEED", "20261125"))
REAL_OPENROUTER = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
REAL_OPENROUTER /= "openrouter_2026-05-31_anomalyco-models.dev_0c88cfab35.json.gz"
ENDPOINTS = "openrouter-endpoints_anthropic_claude-3.5-haiku_constructed.json"
PAYLOADS = {
    "modelsdev": fixture_bytes("modelsdev_2026-07-02_excerpt.json"),
    "litellm": fixture_bytes("litellm_2026-11-12_excerpt.json"),
    "genai-prices": fixture_bytes("genai-prices_2026-08-21_excerpt.json"),
    "epoch": fixture_bytes("epoch_2025-08-07_excerpt.csv"),
    "openrouter-endpoints": fixture_bytes(ENDPOINTS),
    "epoch-benchmarks": fixture_bytes("epoch-lbe_2025-03-13_inputs_trimmed.csv"),
    "artificial-analysis": fixture_bytes("artificial-analysis_constructed.json"),
}
Step = Callable[[httpx.Request], httpx.Response]


def _raise(make: Callable[[], Exception]) -> Step:
    """A fresh exception per request: re-raising one instance grows its traceback (and every frame in it)."""

    def step(request: httpx.Request) -> httpx.Response:
        raise make()

    return step


FAULTS: dict[str, Step] = {
    "connect-timeout": _raise(lambda: httpx.ConnectTimeout("timed out")),
    "read-timeout": _raise(lambda: httpx.ReadTimeout("timed out")),
    "reset": _raise(lambda: httpx.ReadError("[Errno 104] Connection reset by peer")),
    "429-retry-after": lambda r: httpx.Response(429, headers={"Retry-After": "30"}),
    "429": lambda r: httpx.Response(429),
    "500": lambda r: httpx.Response(500),
    "502": lambda r: httpx.Response(502, text="<html>Bad gateway</html>"),
    "503": lambda r: httpx.Response(503),
    "html-200": lambda r: httpx.Response(
        200, text="<!doctype html><title>Down for maintenance</title>", headers={"Content-Type": "text/html"}
    ),
    "truncated": lambda r: httpx.Response(200, stream=BrokenStream(b'{"data": [{"id": "a/b", "pri')),
    "wrong-shape": lambda r: httpx.Response(200, json={"error": {"message": "rate limited", "code": 429}}),
    "empty-catalogue": lambda r: httpx.Response(200, json={"data": []}),
}


class FaultyNetwork:
    """A seeded MockTransport handler: a fault, or the source's payload (OpenRouter's prices drift)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.served: Counter[str] = Counter()
        self.catalogue = json.loads(gzip.decompress(REAL_OPENROUTER.read_bytes()))["data"]

    def source_of(self, request: httpx.Request) -> str:
        return request.url.path.strip("/").split("/", 1)[0]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            source = self.source_of(request)
            roll = self.rng.random()
            if roll < 0.5:
                fault = self.rng.choice(sorted(FAULTS))
                self.served[f"fault:{fault}"] += 1
                return FAULTS[fault](request)
            if source == "openrouter" and roll < 0.55:
                self.served["fault:lost-90%"] += 1
                return httpx.Response(200, json={"data": self.catalogue[: len(self.catalogue) // 10]})
            self.served["payload"] += 1
            return httpx.Response(200, content=self._payload(source))

    def _payload(self, source: str) -> bytes:
        if source != "openrouter":
            return PAYLOADS[source]
        model = self.rng.choice(self.catalogue)
        prompt = (model.get("pricing") or {}).get("prompt")
        if isinstance(prompt, str) and prompt.replace(".", "").isdigit() and float(prompt) > 0:
            model["pricing"]["prompt"] = f"{float(prompt) * self.rng.choice([0.8, 1.25]):.12f}"
        return json.dumps({"data": self.catalogue}).encode()


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


@pytest.mark.timeout(max(900, RUNS * 4))
def test_the_schedule_rides_out_network_faults_on_every_source(
    db_path: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.ERROR)  # pytest keeps every captured record: retry warnings would count as growth
    every = 0.25
    sources = {name: {"url": f"https://example.test/{name}", "every": every} for name in COLLECTED}
    sources["openrouter-endpoints"].update(
        url="https://example.test/openrouter-endpoints/{model}",
        follow=["anthropic/claude-3.5-haiku"],
        request_interval_seconds=0,
    )
    monkeypatch.setenv("ARTIFICIAL_ANALYSIS_API_KEY", "tt-soak-key")  # switches the optional source on
    alerts = {"jsonl_path": str(tmp_path / "alerts.jsonl"), "atom_path": str(tmp_path / "changes.atom")}
    config = settings(db_path, sources, collect={"max_attempts": 3, "backoff_base_seconds": 0.01,
                      "backoff_max_seconds": 0.05, "max_retry_seconds": 2}, alerts=alerts,
                      schedule={"misfire_grace_seconds": 30})  # fmt: skip
    network = FaultyNetwork(SEED)
    fast = Timing(sleep=lambda seconds: time.sleep(min(seconds, 0.02)), rng=random.Random(SEED))
    lines: list[str] = []
    schedule = CollectSchedule(
        db_path,
        config,
        client_factory=lambda: make_client(transport=httpx.MockTransport(network)),
        timing=fast,
        echo=lines.append,
    )
    tracemalloc.start()
    schedule.start()
    try:
        deadline = time.monotonic() + max(600.0, RUNS * 3.0)
        warm = None
        while schedule.runs + schedule.errors < RUNS and time.monotonic() < deadline:
            if warm is None and schedule.runs >= min(40, RUNS // 4):
                warm = (rss_bytes(), tracemalloc.take_snapshot())
            time.sleep(0.1)
        assert schedule.scheduler.running and len(schedule.scheduler.get_jobs()) == len(COLLECTED), "schedule died"
    finally:
        schedule.shutdown()
    end_rss, end_heap = rss_bytes(), tracemalloc.take_snapshot()
    tracemalloc.stop()
    assert schedule.runs + schedule.errors >= RUNS, f"only {schedule.runs} runs before the deadline"
    assert schedule.errors == 0, [line for line in lines if line.startswith("error:")]

    logged = query(db_path, "SELECT status, count(*) FROM runs WHERE kind = 'collect' GROUP BY ALL")
    statuses = dict(logged)
    assert sum(statuses.values()) == schedule.runs == len(lines), "the run log must account for every run"
    assert "running" not in statuses and {"ok", "failed", "guarded"} <= set(statuses), statuses
    assert main(["--db", str(db_path), "check"]) == 0

    assert warm is not None
    growth = end_heap.compare_to(warm[1], "lineno")
    heap_growth = sum(s.size_diff for s in growth)
    top = [f"{s.traceback[0].filename.rsplit('/', 2)[-1]} {s.size_diff / 2**10:+.0f} KiB" for s in growth[:5]]
    rss_growth = end_rss - warm[0]
    assert heap_growth < 16 * 2**20, f"Python heap grew {heap_growth / 2**20:.1f} MiB over the soak: {top}"
    assert rss_growth < 200 * 2**20, f"RSS grew {rss_growth / 2**20:.0f} MiB over the soak"
    faults = sum(n for key, n in network.served.items() if key.startswith("fault:"))
    record(
        "network_soak",
        seed=SEED,
        runs=schedule.runs,
        run_log=statuses,
        faults_injected=faults,
        payloads_served=network.served["payload"],
        by_fault=dict(network.served),
        job_errors=schedule.errors,
        heap_growth_mib=round(heap_growth / 2**20, 2),
        rss_growth_mib=round(rss_growth / 2**20, 1),
    )
