"""Collecting several sources at once: bounded in total and per host; the writes still take turns."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")


class HostSlots:
    """At most `per_host` fetches from one host at a time, however many sources share it."""

    def __init__(self, per_host: int) -> None:
        self.per_host = max(1, per_host)
        self._slots: dict[str, threading.Semaphore] = {}
        self._down: dict[str, str] = {}  # host -> why it could not be reached in this run
        self._guard = threading.Lock()

    def mark_down(self, url: str, why: str) -> None:
        """No connection to this host could be made: the next source on it fails at once, not after its own
        retries (with no network, every source would otherwise wait out the whole backoff in turn)."""
        with self._guard:
            self._down.setdefault(self.host_of(url), why)

    def down(self, url: str) -> str | None:
        with self._guard:
            return self._down.get(self.host_of(url))

    @staticmethod
    def host_of(url: str) -> str:
        parts = urlsplit(url)
        return (parts.hostname or parts.scheme or "local").lower()

    @contextmanager
    def hold(self, url: str) -> Iterator[None]:
        with self._guard:
            slot = self._slots.setdefault(self.host_of(url), threading.Semaphore(self.per_host))
        with slot:
            yield


def run_concurrently(
    names: list[str],
    run_one: Callable[[str], T],
    report: Callable[[T], None],
    max_parallel: int,
) -> list[T]:
    """Run every source on a bounded pool; report each outcome in the given order as soon as it and every
    earlier one are done. A fetch problem is an outcome (run_one sorts it); a warehouse error (busy, broken)
    concerns every source, so it is raised, once the sources already running have finished."""
    outcomes: list[T] = []
    if not names:
        return outcomes
    with ThreadPoolExecutor(max_workers=max(1, min(max_parallel, len(names))), thread_name_prefix="collect") as pool:
        futures = [pool.submit(run_one, name) for name in names]
        for future in futures:
            outcome = future.result()
            report(outcome)
            outcomes.append(outcome)
    return outcomes
