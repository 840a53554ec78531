"""Fetching one URL: every network fault is sorted once into retriable or fatal, with bounded retries."""

from __future__ import annotations

import gzip
import threading
from datetime import UTC
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from tests.collectors.helpers import BrokenStream, FakeClock, client_factory, json_response, raises, sequence
from tokentide.collectors.errors import BadSourceUrl, Cancelled, ClientError, GaveUp, NotData, TooLarge
from tokentide.collectors.fetching import (
    USER_AGENT,
    RetryPolicy,
    Validators,
    fetch_url,
    interruptible_sleep,
    make_client,
    retry_after_seconds,
)

URL = "https://example.test/api/v1/models"
BODY = b'{"data": []}'
POLICY = RetryPolicy(max_attempts=4, base_delay_seconds=2, max_delay_seconds=60, max_total_seconds=300)


def fetch(steps: list, policy: RetryPolicy = POLICY, **options: object):
    handler, seen = sequence(steps)
    clock = FakeClock()
    with client_factory(handler)() as client:
        result = fetch_url(client, URL, policy=policy, timing=clock.timing(), **options)
    return result, seen, clock


def test_a_plain_200_returns_the_bytes_status_validators_and_sends_the_user_agent() -> None:
    modified = "Sun, 01 Nov 2026 10:00:00 GMT"
    result, seen, clock = fetch([json_response(BODY, ETag='"v1"', **{"Last-Modified": modified})])
    assert (result.raw, result.http_status, result.attempts) == (BODY, 200, 1)
    assert result.validators == Validators('"v1"', modified)
    assert result.fetched_at == clock.wall
    assert seen[0].headers["User-Agent"] == USER_AGENT and USER_AGENT.startswith("tokentide/")
    assert "If-None-Match" not in seen[0].headers and clock.sleeps == []


def test_validators_make_the_request_conditional_and_304_means_not_modified() -> None:
    result, seen, _ = fetch([httpx.Response(304)], validators=Validators('"v1"', "Sun, 01 Nov 2026 10:00:00 GMT"))
    assert seen[0].headers["If-None-Match"] == '"v1"'
    assert seen[0].headers["If-Modified-Since"] == "Sun, 01 Nov 2026 10:00:00 GMT"
    assert result.not_modified and result.http_status == 304


@pytest.mark.parametrize(
    "fault",
    [
        raises(httpx.ConnectTimeout("connect timed out")),
        raises(httpx.ReadTimeout("read timed out")),
        raises(httpx.ReadError("[Errno 104] Connection reset by peer")),
        raises(httpx.ConnectError("[Errno 111] Connection refused")),
        httpx.Response(500),
        httpx.Response(502),
        httpx.Response(503),
        httpx.Response(429),
        lambda request: httpx.Response(200, stream=BrokenStream(b'{"data": [')),  # truncated mid-body
    ],
    ids=["connect-timeout", "read-timeout", "reset", "refused", "500", "502", "503", "429", "truncated-stream"],
)
def test_retriable_faults_are_retried_with_backoff_then_succeed(fault: object) -> None:
    result, seen, clock = fetch([fault, fault, json_response(BODY)])
    assert result.raw == BODY and result.attempts == 3 and len(seen) == 3
    # exponential backoff with equal jitter: retry n waits between half and all of base * 2**(n-1)
    assert 1 <= clock.sleeps[0] <= 2 and 2 <= clock.sleeps[1] <= 4


def test_retries_are_bounded_in_count_and_say_so() -> None:
    with pytest.raises(GaveUp, match=r"gave up: 4 attempts in \d+ s; last: timed out: ReadTimeout"):
        fetch([raises(httpx.ReadTimeout("slow"))])


def test_retries_are_bounded_in_total_time() -> None:
    policy = RetryPolicy(max_attempts=50, base_delay_seconds=2, max_delay_seconds=60, max_total_seconds=20)
    with pytest.raises(GaveUp, match="would pass the 20 s limit") as caught:
        fetch([httpx.Response(503)], policy=policy)
    assert "HTTP 503" in str(caught.value)


def test_jitter_spreads_the_waits_within_the_backoff_step() -> None:
    clock = FakeClock()
    spread = {round(POLICY.delay_seconds(3, clock.timing(seed).rng), 6) for seed in range(10)}
    assert len(spread) > 5 and all(4 <= wait <= 8 for wait in spread)


def test_429_with_retry_after_waits_as_told() -> None:
    result, seen, clock = fetch([httpx.Response(429, headers={"Retry-After": "7"}), json_response(BODY)])
    assert clock.sleeps == [7.0] and result.attempts == 2


def test_429_with_an_http_date_retry_after() -> None:
    clock = FakeClock()
    when = format_datetime(clock.wall.replace(second=30, tzinfo=UTC), usegmt=True)
    assert retry_after_seconds(when, clock.wall) == 30.0
    assert retry_after_seconds("soon", clock.wall) is None and retry_after_seconds(None, clock.wall) is None


def test_429_without_retry_after_uses_the_backoff() -> None:
    result, _, clock = fetch([httpx.Response(429), json_response(BODY)])
    assert 1 <= clock.sleeps[0] <= 2 and result.attempts == 2


def test_429_asking_for_longer_than_the_limit_gives_up_at_once() -> None:
    with pytest.raises(GaveUp, match="asks to wait 3600 s, more than the 60 s limit"):
        fetch([httpx.Response(429, headers={"Retry-After": "3600"})])


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_client_errors_are_fatal_and_not_retried(status: int) -> None:
    with pytest.raises(ClientError, match=f"HTTP {status}") as caught:
        fetch([httpx.Response(status)])
    assert caught.value.status_code == status


def test_a_200_with_an_html_error_page_is_fatal_at_once() -> None:
    page = b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>challenge</body></html>"
    handler, seen = sequence([httpx.Response(200, content=page, headers={"Content-Type": "text/html"})])
    with client_factory(handler)() as client, pytest.raises(NotData, match="HTML page .'just a moment...'. instead"):
        fetch_url(client, URL, policy=POLICY, timing=FakeClock().timing())
    assert len(seen) == 1


def test_a_runaway_body_is_cut_off() -> None:
    with pytest.raises(TooLarge):
        fetch([json_response(b"[" + b"1," * 2000 + b"1]")], max_bytes=1000)


def test_an_unsupported_url_is_fatal() -> None:
    with make_client() as client, pytest.raises(BadSourceUrl):  # refused before any connection is tried
        fetch_url(client, "ftp://example.test/x.json", timing=FakeClock().timing())


def test_file_urls_read_local_mirrors_gzip_included(tmp_path: Path) -> None:
    plain, packed = tmp_path / "models.json", tmp_path / "models.json.gz"
    plain.write_bytes(BODY)
    packed.write_bytes(gzip.compress(BODY))
    handler, seen = sequence([httpx.Response(500)])
    with client_factory(handler)() as client:
        for path in (plain, packed):
            result = fetch_url(client, path.as_uri(), timing=FakeClock().timing())
            assert result.raw == BODY and result.http_status is None
        with pytest.raises(BadSourceUrl, match="cannot read"):
            fetch_url(client, (tmp_path / "missing.json").as_uri())
    assert seen == []


def test_shutdown_cuts_a_retry_wait_short() -> None:
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled, match="shutting down"):
        interruptible_sleep(stop)(3600)
    interruptible_sleep(threading.Event())(0.0)
