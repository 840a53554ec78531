"""Why a fetch failed, sorted once at the edge: retriable (try again soon) or fatal (stop this run)."""

from __future__ import annotations


class CollectError(Exception):
    """A fetch problem with a one-line, user-facing message; `title` names the kind of problem."""

    title = "fetch failed"
    retriable = False

    def __init__(self, detail: str) -> None:
        super().__init__(f"{self.title}: {detail}")
        self.detail = detail


class RetriableError(CollectError):
    """Likely to pass if tried again a little later: timeouts, resets, rate limits, 5xx."""

    retriable = True


class TimedOut(RetriableError):
    title = "timed out"


class ConnectionFailed(RetriableError):
    title = "connection failed"


class RateLimited(RetriableError):
    title = "rate limited (HTTP 429)"

    def __init__(self, detail: str, retry_after_seconds: float | None) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class ServerError(RetriableError):
    title = "server error"


class FatalError(CollectError):
    """Trying again now would not help: stop this run at once; the next scheduled run tries afresh."""


class ClientError(FatalError):
    title = "request refused"

    def __init__(self, detail: str, status_code: int | None = None) -> None:
        super().__init__(detail)
        self.status_code = status_code


class HostUnknown(FatalError):
    """DNS says the name does not exist (not a DNS server that failed to answer): retrying will not help."""

    title = "host not found"


class TlsFailed(FatalError):
    """The TLS handshake failed (certificate not trusted, protocol mismatch): a configuration problem."""

    title = "TLS failed"


class ConnectionUnavailable(FatalError):
    """Another source on the same host could not connect moments ago, in this run."""

    title = "host unreachable"


class NotData(FatalError):
    title = "not a data payload"


class TooLarge(FatalError):
    title = "payload too large"


class BadSourceUrl(FatalError):
    title = "bad source URL"


class GaveUp(FatalError):
    """Retriable failures that did not pass within the retry budget."""

    title = "gave up"


class Cancelled(FatalError):
    """The process is shutting down; the run stops without writing a snapshot."""

    title = "cancelled"


def unreachable(exc: CollectError) -> bool:
    """No connection could be made at all (not a server's answer): DNS, TLS, refused, timed out connecting."""
    cause = exc.__cause__ if isinstance(exc, GaveUp) else exc
    return isinstance(cause, HostUnknown | TlsFailed | ConnectionFailed)
