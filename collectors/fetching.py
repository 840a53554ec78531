"""GET one source URL with retries, conditional requests and file:// support; every source fetches through here.

Failures are sorted once, here (see errors.py): timeouts, resets, 429 and 5xx are retried with exponential
backoff and jitter, bounded in attempts and total time; anything else stops the run at once. The sleep,
clocks and random source are injected so tests run the whole retry path in milliseconds.
"""

from __future__ import annotations

import gzip
import logging
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit
from urllib.request import url2pathname

import httpx

from tokentide import __version__
from tokentide.collectors.errors import (
    BadSourceUrl,
    Cancelled,
    ClientError,
    CollectError,
    ConnectionFailed,
    GaveUp,
    HostUnknown,
    NotData,
    RateLimited,
    RetriableError,
    ServerError,
    TimedOut,
    TlsFailed,
    TooLarge,
)
from tokentide.warehouse.validators import Validators

log = logging.getLogger(__name__)
T = TypeVar("T")

PROJECT_URL = "https://github.com/tokentide/tokentide"
USER_AGENT = f"tokentide/{__version__} (+{PROJECT_URL})"
MAX_BYTES = 256 * 1024 * 1024  # the largest catalogue seen is ~2 MB; this only stops a runaway body
# 429 is the only 4xx retried: every other 4xx says the request itself is wrong (see _status_error)
RETRIABLE_STATUS = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524, 529})
# getaddrinfo's "this name does not exist" codes (EAI_NONAME, EAI_NODATA; Windows WSAHOST_NOT_FOUND, WSANO_DATA).
# EAI_AGAIN ("Temporary failure in name resolution": the DNS server did not answer) stays retriable.
DNS_UNKNOWN_ERRNOS = frozenset({socket.EAI_NONAME, getattr(socket, "EAI_NODATA", -5), 11001, 11004})
DNS_UNKNOWN_TEXT = (
    "Name or service not known",
    "nodename nor servname provided",
    "No address associated with hostname",
)


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Timing:
    """Sleep, clocks and jitter, injectable: tests pass fakes, the scheduler an interruptible sleep."""

    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _utc_now  # naive UTC wall clock, stamps fetched_at
    rng: random.Random = field(default_factory=random.Random)


def interruptible_sleep(stop: threading.Event) -> Callable[[float], None]:
    """A sleep that ends early, raising Cancelled, as soon as `stop` is set (graceful shutdown)."""

    def sleep(seconds: float) -> None:
        if stop.wait(max(0.0, seconds)):
            raise Cancelled("shutting down; this run stops without writing")

    return sleep


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay_seconds: float = 2.0
    max_delay_seconds: float = 60.0
    max_total_seconds: float = 300.0

    def delay_seconds(self, retry: int, rng: random.Random) -> float:
        """Exponential backoff with equal jitter: half of each step fixed, half random."""
        step = min(self.max_delay_seconds, self.base_delay_seconds * 2 ** (retry - 1))
        return step / 2 + rng.uniform(0, step / 2)


@dataclass(frozen=True)
class FetchResult:
    url: str
    raw: bytes | None  # None: the server said 304 Not Modified
    fetched_at: datetime
    http_status: int | None = None  # None for file:// URLs
    validators: Validators = field(default_factory=Validators)
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.raw is None


def make_client(
    timeout_seconds: float = 30.0, connect_timeout_seconds: float = 10.0, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The one client every collector uses: tokentide's User-Agent, redirects followed, bounded timeouts."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"},
        timeout=httpx.Timeout(timeout_seconds, connect=connect_timeout_seconds),
        follow_redirects=True,
        transport=transport,
    )


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return max(0.0, (when - now).total_seconds())


def check_body(raw: bytes, expect: str, where: str) -> None:
    """A 200 carrying an HTML error page (captive portal, CDN challenge, maintenance) is not a payload."""
    head = raw[:512].lstrip().lower()
    if head.startswith(b"<"):
        title = ""
        if b"<title>" in head:
            title = head.split(b"<title>", 1)[1].split(b"<", 1)[0].decode("utf-8", "replace").strip()[:60]
        raise NotData(f"{where} returned an HTML page{f' ({title!r})' if title else ''} instead of {expect}")


def _status_error(response: httpx.Response, now: datetime) -> Exception | None:
    status = response.status_code
    where = f"HTTP {status} {response.reason_phrase} from {response.url.host}".strip()
    if status == 429:
        wait = retry_after_seconds(response.headers.get("Retry-After"), now)
        return RateLimited(where + (f", Retry-After {wait:.0f} s" if wait is not None else ""), wait)
    if status in RETRIABLE_STATUS:
        return ServerError(where)
    if status >= 400:
        return ClientError(where, status)
    return None


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def permanent_connect_error(exc: httpx.TransportError) -> type[HostUnknown] | type[TlsFailed] | None:
    """HostUnknown when DNS says the name does not exist, TlsFailed for a failed handshake, else None
    (refused, reset, unreachable, a DNS server not answering: worth another try)."""
    if not isinstance(exc, httpx.ConnectError):
        return None
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror) and cause.errno in DNS_UNKNOWN_ERRNOS:
            return HostUnknown
        if isinstance(cause, ssl.SSLError):
            return TlsFailed
    text = str(exc)
    if any(marker in text for marker in DNS_UNKNOWN_TEXT):
        return HostUnknown
    if "CERTIFICATE_VERIFY_FAILED" in text or "[SSL" in text:
        return TlsFailed
    return None


def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    chunks, total = [], 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(f"more than {max_bytes // 1_000_000} MB from {response.url.host}")
        chunks.append(chunk)
    return b"".join(chunks)


def _attempt(
    client: httpx.Client, url: str, headers: Mapping[str, str], expect: str, max_bytes: int, timing: Timing
) -> FetchResult:
    try:
        with client.stream("GET", url, headers=dict(headers)) as response:
            problem = _status_error(response, timing.now())
            if problem is not None:
                raise problem
            validators = Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))
            if response.status_code == 304:
                return FetchResult(url, None, timing.now(), 304, validators)
            raw = _read_body(response, max_bytes)
            check_body(raw, expect, f"HTTP {response.status_code} from {response.url.host}")
            return FetchResult(url, raw, timing.now(), response.status_code, validators)
    except httpx.TimeoutException as exc:
        raise TimedOut(f"{type(exc).__name__} from {urlsplit(url).hostname}") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise BadSourceUrl(f"{url!r}: {exc}") from exc
    except httpx.TransportError as exc:
        host = urlsplit(url).hostname
        permanent = permanent_connect_error(exc)
        if permanent is HostUnknown:
            raise HostUnknown(f"{host}: {exc}") from exc
        if permanent is TlsFailed:
            raise TlsFailed(f"{host}: {exc}") from exc
        raise ConnectionFailed(f"{type(exc).__name__} from {host}: {exc}") from exc


def _wait_before_retry(exc: RetriableError, attempt: int, policy: RetryPolicy, timing: Timing, started: float) -> float:
    """Seconds to wait before the next attempt, or GaveUp when the count or time budget is spent."""
    elapsed = timing.monotonic() - started
    spent = f"{attempt} attempt{'s' if attempt > 1 else ''} in {elapsed:.0f} s"
    if attempt >= policy.max_attempts:
        raise GaveUp(f"{spent}; last: {exc}") from exc
    wait = policy.delay_seconds(attempt, timing.rng)
    if isinstance(exc, RateLimited) and exc.retry_after_seconds is not None:
        if exc.retry_after_seconds > policy.max_delay_seconds:
            raise GaveUp(
                f"{spent}; the server asks to wait {exc.retry_after_seconds:.0f} s, more than the "
                f"{policy.max_delay_seconds:.0f} s limit"
            ) from exc
        wait = exc.retry_after_seconds
    if elapsed + wait > policy.max_total_seconds:
        raise GaveUp(
            f"{spent}; another wait of {wait:.0f} s would pass the {policy.max_total_seconds:.0f} s limit; last: {exc}"
        ) from exc
    return wait


def read_file_url(url: str, timing: Timing, expect: str) -> FetchResult:
    """file:// URLs read a local mirror (gzip accepted); there are no validators, the sha256 says 'unchanged'."""
    path = Path(url2pathname(urlsplit(url).path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BadSourceUrl(f"cannot read {path}: {exc.strerror or exc}") from exc
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise NotData(f"{path} is corrupt gzip: {exc}") from exc
    check_body(raw, expect, str(path))
    return FetchResult(url, raw, timing.now())


def fetch_url(
    client: httpx.Client,
    url: str,
    *,
    expect: str = "JSON",
    validators: Validators | None = None,
    policy: RetryPolicy | None = None,
    timing: Timing | None = None,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = MAX_BYTES,
) -> FetchResult:
    """The body of one URL, retrying retriable failures; raises a FatalError (GaveUp when retries ran out)."""
    policy, timing = policy or RetryPolicy(), timing or Timing()
    if url.startswith("file://"):
        return read_file_url(url, timing, expect)
    request_headers = {**(validators or Validators()).request_headers(), **(headers or {})}
    started = timing.monotonic()
    attempt = 0
    while True:
        attempt += 1
        try:
            result = _attempt(client, url, request_headers, expect, max_bytes, timing)
        except RetriableError as exc:
            wait = _wait_before_retry(exc, attempt, policy, timing, started)
            log.info("%s; retry %d in %.1f s", exc, attempt, wait)  # the outcome line counts the attempts
            timing.sleep(wait)
            continue
        return FetchResult(result.url, result.raw, result.fetched_at, result.http_status, result.validators, attempt)


def raise_for_status(response: httpx.Response, now: datetime) -> None:
    """Sort a non-success status the way fetch_url does (429 and 5xx retriable, other 4xx fatal)."""
    problem = _status_error(response, now)
    if problem is not None:
        raise problem


def with_retries(call: Callable[[], T], *, policy: RetryPolicy | None = None, timing: Timing | None = None) -> T:
    """Run one request-like call under the retry policy: RetriableErrors wait and retry, others pass through.

    For requests fetch_url cannot express (byte ranges whose response headers matter); the call itself maps
    httpx exceptions to the error tree with `transport_errors`.
    """
    policy, timing = policy or RetryPolicy(), timing or Timing()
    started, attempt = timing.monotonic(), 0
    while True:
        attempt += 1
        try:
            return call()
        except RetriableError as exc:
            wait = _wait_before_retry(exc, attempt, policy, timing, started)
            log.warning("%s; retry %d in %.1f s", exc, attempt, wait)
            timing.sleep(wait)


def transport_error(exc: httpx.HTTPError, url: str) -> CollectError:
    """An httpx exception as one of the collectors' errors (timeouts and resets retriable)."""
    host = urlsplit(url).hostname
    if isinstance(exc, httpx.TimeoutException):
        return TimedOut(f"{type(exc).__name__} from {host}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return BadSourceUrl(f"{url!r}: {exc}")
    return ConnectionFailed(f"{type(exc).__name__} from {host}: {exc}")
