"""Collecting concurrently: permanent failures are not retried, hosts are not hammered, one line per source."""

from __future__ import annotations

import socket
import ssl
import threading
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.collectors.helpers import FakeClock, client_factory, settings
from tokentide.cli import main
from tokentide.collectors import fetching, run
from tokentide.collectors.errors import ClientError, ConnectionFailed, GaveUp, HostUnknown, TlsFailed
from tokentide.collectors.run import Collector, CollectOutcome

ALL_SOURCES = ("openrouter", "modelsdev", "litellm", "genai-prices", "epoch")
DNS_UNKNOWN = "[Errno -2] Name or service not known"


def unreachable(attempts: Counter[str]) -> httpx.MockTransport:
    """What a machine without network says for every host: the name does not resolve."""

    def handler(request: httpx.Request) -> httpx.Response:
        attempts[request.url.host] += 1
        raise httpx.ConnectError(DNS_UNKNOWN, request=request)

    return httpx.MockTransport(handler)


def test_collect_with_every_source_unreachable_tries_each_once_and_prints_one_line_each(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    attempts: Counter[str] = Counter()
    transport = unreachable(attempts)
    monkeypatch.setattr(run, "make_client", lambda *a, **k: fetching.make_client(transport=transport))
    assert main(["--db", str(db_path), "collect", "--once", *[f"--source={s}" for s in ALL_SOURCES]]) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert [line.split(": ")[1] for line in lines] == list(ALL_SOURCES)  # one line each, in order, no log lines
    assert all(line.startswith("failed: ") for line in lines)
    assert all("host not found" in line or "could not be reached earlier in this run" in line for line in lines)
    hosts = {"openrouter.ai", "models.dev", "raw.githubusercontent.com", "epoch.ai"}
    assert attempts == dict.fromkeys(hosts, 1)  # no retry of a name that does not exist, one try per host
    assert out == ""


@pytest.mark.parametrize(
    ("cause", "error"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), HostUnknown),
        (ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), TlsFailed),
        (ConnectionRefusedError(111, "Connection refused"), None),
        (socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution"), None),
    ],
)
def test_connect_errors_are_sorted_by_their_cause(cause: Exception, error: type | None) -> None:
    request = httpx.Request("GET", "https://example.invalid/")
    try:
        try:
            raise cause
        except Exception as inner:
            raise httpx.ConnectError(str(inner), request=request) from inner
    except httpx.ConnectError as exc:
        assert fetching.permanent_connect_error(exc) is error


@pytest.mark.parametrize(
    ("status", "expected", "attempts"),
    [(404, ClientError, 1), (403, ClientError, 1), (408, ClientError, 1), (429, GaveUp, 3), (503, GaveUp, 3)],
)
def test_only_429_among_client_errors_is_retried(status: int, expected: type, attempts: int) -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(status, headers={"Retry-After": "1"} if status == 429 else {})

    policy = fetching.RetryPolicy(max_attempts=3, base_delay_seconds=1)
    with client_factory(handler)() as client, pytest.raises(expected):
        fetching.fetch_url(client, "https://example.org/x.json", policy=policy, timing=FakeClock().timing())
    assert len(calls) == attempts


def test_a_refused_connection_is_still_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    with client_factory(handler)() as client, pytest.raises(GaveUp, match=ConnectionFailed.title):
        fetching.fetch_url(client, "https://example.org/x.json", policy=fetching.RetryPolicy(max_attempts=2),
                           timing=FakeClock().timing())  # fmt: skip
    assert len(calls) == 2


def test_sources_on_different_hosts_are_fetched_at_the_same_time_and_one_host_one_at_a_time(db_path: Path) -> None:
    """Two hosts must be in flight together (a barrier both must reach, or the fetch fails); the two sources
    sharing raw.githubusercontent.com must never overlap."""
    meet = threading.Barrier(2, timeout=20)
    in_flight: Counter[str] = Counter()
    most: Counter[str] = Counter()
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        with lock:
            in_flight[host] += 1
            most[host] = max(most[host], in_flight[host])
        try:
            if host in ("openrouter.ai", "models.dev"):
                meet.wait()  # raises BrokenBarrierError if the other host is not fetched meanwhile
            return httpx.Response(404)
        finally:
            with lock:
                in_flight[host] -= 1

    config = settings(db_path, {name: {} for name in ("openrouter", "modelsdev", "litellm", "genai-prices")},
                      collect={"max_parallel": 4, "per_host": 1})  # fmt: skip
    collector = Collector(db_path, config, client_factory=client_factory(handler), timing=FakeClock().timing())
    reported: list[CollectOutcome] = []
    outcomes = collector.run_all(["openrouter", "modelsdev", "litellm", "genai-prices"], reported.append)
    collector.close()
    assert [o.source for o in reported] == ["openrouter", "modelsdev", "litellm", "genai-prices"]
    assert all(o.status == "failed" and "HTTP 404" in (o.message or "") for o in outcomes)
    assert most["raw.githubusercontent.com"] == 1 and most["openrouter.ai"] == 1


def test_a_host_that_could_not_be_reached_is_not_tried_again_by_its_next_source(db_path: Path) -> None:
    """litellm and genai-prices share raw.githubusercontent.com: when the first exhausts its retries on
    connection failures, the second fails at once instead of waiting out its own backoff."""
    attempts: Counter[str] = Counter()

    def handler(request: httpx.Request) -> httpx.Response:
        attempts[request.url.host] += 1
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    config = settings(db_path, {"litellm": {}, "genai-prices": {}}, collect={"max_attempts": 3})
    collector = Collector(db_path, config, client_factory=client_factory(handler), timing=FakeClock().timing())
    outcomes = collector.run_all(["litellm", "genai-prices"], lambda outcome: None)
    collector.close()
    assert attempts == Counter({"raw.githubusercontent.com": 3})  # one source's retries, then no more
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert "could not be reached earlier in this run" in (outcomes[1].message or "")


def test_sources_of_one_run_take_turns_to_write_even_with_no_wait_for_other_processes(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--wait 0 gives up at once on another process's lock; this run's own threads queue for their turn."""
    attempts: Counter[str] = Counter()
    transport = unreachable(attempts)
    monkeypatch.setattr(run, "make_client", lambda *a, **k: fetching.make_client(transport=transport))
    args = ["--db", str(db_path), "collect", "--once", "--wait", "0", *[f"--source={s}" for s in ALL_SOURCES]]
    assert main(args) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == len(ALL_SOURCES) and not [line for line in lines if "another thread" in line]
    assert all("host not found" in line or "could not be reached earlier in this run" in line for line in lines)
