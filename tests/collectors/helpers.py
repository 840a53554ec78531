"""Helpers for collect tests: settings from a dict, fake clocks, and MockTransport-backed clients."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tokentide.collectors.fetching import Timing, make_client
from tokentide.collectors.sources import COLLECTED, CollectSettings, collect_settings
from tokentide.settings.config import Settings

Handler = Callable[[httpx.Request], httpx.Response]


def settings(db: Path, sources: dict[str, dict[str, Any]], **tables: dict[str, Any]) -> CollectSettings:
    """Only the named sources enabled; fast retries unless a test asks otherwise."""
    raw_sources = {name: {"enabled": False} for name in COLLECTED}
    for name, table in sources.items():
        raw_sources[name] = {"enabled": True, **table}
    collect = {"max_attempts": 4, "backoff_base_seconds": 1, "backoff_max_seconds": 30, "max_retry_seconds": 300,
               "lock_wait_seconds": 30, **tables.pop("collect", {})}  # fmt: skip
    raw = {"sources": raw_sources, "collect": collect, **tables}
    return collect_settings(Settings(path=Path("test-config.toml"), raw=raw), db)


class FakeClock:
    """Wall clock, monotonic clock and sleep that only move when slept on (or told to)."""

    def __init__(self, start: datetime = datetime(2026, 11, 1, 12, 0, 0)) -> None:
        self.wall = start
        self.mono = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += timedelta(seconds=seconds)

    def timing(self, seed: int = 7) -> Timing:
        return Timing(sleep=self.sleep, monotonic=lambda: self.mono, now=lambda: self.wall, rng=random.Random(seed))


def client_factory(handler: Handler) -> Callable[[], httpx.Client]:
    return lambda: make_client(transport=httpx.MockTransport(handler))


def sequence(responses: Iterable[Callable[[httpx.Request], httpx.Response] | httpx.Response]) -> tuple[Handler, list]:
    """A handler that plays the given responses (or raisers) in order, repeating the last; and its request log."""
    steps = list(responses)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        step = steps[min(len(seen), len(steps)) - 1]
        if isinstance(step, httpx.Response):  # a fresh copy: a response object is read only once
            return httpx.Response(step.status_code, headers=step.headers, content=step.content)
        return step(request)

    return handler, seen


def raises(exc: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def step(request: httpx.Request) -> httpx.Response:
        raise exc

    return step


class BrokenStream(httpx.SyncByteStream):
    """A body that stops half-way, as when the peer closes the connection mid-transfer."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    def __iter__(self):  # type: ignore[override]
        yield self.head
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def json_response(body: bytes, **headers: str) -> httpx.Response:
    return httpx.Response(200, content=body, headers={"Content-Type": "application/json", **headers})
