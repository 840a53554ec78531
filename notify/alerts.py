"""Alerts on price changes: rules from the config, delivered to a JSON-lines file and, if set, a webhook.

The webhook is posted from a background thread with its own retries, so a slow or broken receiver never
holds up collection. Its URL can carry a secret token, so it is never logged in full.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from tokentide.collectors.fetching import Timing, make_client
from tokentide.collectors.sources import AlertRule, AlertSettings
from tokentide.notify.feed import write_atom
from tokentide.warehouse.price_changes import PriceChange, matches_any, passes
from tokentide.warehouse.strict_json import dumps

log = logging.getLogger(__name__)


def redact(url: str) -> str:
    """'https://hooks.example.com/services/T0/B0/secret' -> 'https://hooks.example.com/…'."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or '?'}/…"


class _RedactSecretUrls(logging.Filter):
    """httpx logs every request's full URL at INFO (visible with `-v`); a webhook URL's path can hold a token,
    so on httpx's logger any mention of a registered webhook URL or its path is redacted."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[str, str] = {}  # text to hide -> what to show instead

    def add(self, url: str) -> None:
        parts = urlsplit(url)
        self.secrets[url] = redact(url)
        hidden = parts.path + (f"?{parts.query}" if parts.query else "")
        if len(hidden) > 1:
            self.secrets[hidden] = "/…"

    def scrub(self, value: object) -> object:
        text = str(value)
        if not any(secret in text for secret in self.secrets):
            return value
        for secret, shown in sorted(self.secrets.items(), key=lambda item: -len(item[0])):
            text = text.replace(secret, shown)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = self.scrub(record.msg)
            if isinstance(record.args, tuple):
                record.args = tuple(self.scrub(arg) for arg in record.args)
        return True


_HTTP_LOG_REDACTION = _RedactSecretUrls()
logging.getLogger("httpx").addFilter(_HTTP_LOG_REDACTION)


def rule_matches(rule: AlertRule, change: PriceChange) -> bool:
    return (
        matches_any(change.model_id, rule.models)
        and (matches_any(change.source_provider, rule.providers) or matches_any(change.provider, rule.providers))
        and matches_any(change.author, rule.authors)
        and matches_any(change.source, rule.sources)
        and passes(change, rule.min_pct, rule.direction)
    )


@dataclass(frozen=True)
class Alert:
    rules: tuple[str, ...]
    change: PriceChange

    def to_json_dict(self, alerted_at: datetime) -> dict[str, Any]:
        head = {"alerted_at": alerted_at.isoformat() + "Z", "rules": list(self.rules)}
        return {**head, "summary": self.change.describe(), **self.change.to_json_dict()}


def match_alerts(rules: Sequence[AlertRule], changes: Sequence[PriceChange]) -> list[Alert]:
    alerts = []
    for change in changes:
        names = tuple(rule.name for rule in rules if rule_matches(rule, change))
        if names:
            alerts.append(Alert(names, change))
    return alerts


class WebhookSender:
    """POSTs alert batches as JSON from one background thread, retrying with backoff; never blocks the caller."""

    def __init__(
        self,
        url: str,
        attempts: int = 3,
        client_factory: Callable[[], httpx.Client] = make_client,
        timing: Timing | None = None,
        backoff_seconds: float = 2.0,
    ) -> None:
        self.url, self.attempts, self.backoff_seconds = url, attempts, backoff_seconds
        _HTTP_LOG_REDACTION.add(url)
        self._client_factory, self._timing = client_factory, timing or Timing()
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=1000)
        self._thread = threading.Thread(target=self._work, name="tokentide-webhook", daemon=True)
        self._thread.start()
        self.delivered = self.failed = 0

    def send(self, body: dict[str, Any]) -> None:
        try:
            self._queue.put_nowait(body)
        except queue.Full:
            self.failed += 1
            log.warning("webhook %s: queue full, alert batch dropped", redact(self.url))

    def close(self, timeout_seconds: float = 30.0) -> None:
        """Deliver what is queued (bounded wait), then stop the thread."""
        try:
            self._queue.put(None, timeout=timeout_seconds)
        except queue.Full:
            return
        self._thread.join(timeout_seconds)

    def _work(self) -> None:
        with self._client_factory() as client:
            while (body := self._queue.get()) is not None:
                if self._post(client, body):
                    self.delivered += 1
                else:
                    self.failed += 1

    def _post(self, client: httpx.Client, body: dict[str, Any]) -> bool:
        for attempt in range(1, self.attempts + 1):
            try:
                status = client.post(
                    self.url, content=dumps(body), headers={"content-type": "application/json"}
                ).status_code
                problem = f"HTTP {status}"
                if status < 300:
                    return True
                if status < 500 and status != 429:
                    break  # the receiver refuses this body; trying again will not help
            except httpx.HTTPError as exc:
                problem = type(exc).__name__  # the exception text may hold the URL: never log it
            if attempt < self.attempts:
                self._timing.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        log.warning("webhook %s: not delivered after %d attempt(s): %s", redact(self.url), attempt, problem)
        return False


class Notifier:
    """After a collect: alerts for the new snapshot's changes, and the Atom feed of the newest changes."""

    def __init__(self, settings: AlertSettings, webhook: WebhookSender | None = None) -> None:
        self.settings = settings
        self.webhook = webhook
        if webhook is None and settings.webhook_url and settings.rules:
            self.webhook = WebhookSender(settings.webhook_url, settings.webhook_attempts)

    def deliver(self, changes: Sequence[PriceChange], now: datetime) -> list[Alert]:
        alerts = match_alerts(self.settings.rules, changes)
        if not alerts:
            return alerts
        rows = [alert.to_json_dict(now) for alert in alerts]
        if self.settings.jsonl_path is not None:
            _append_lines(self.settings.jsonl_path, rows)
        if self.webhook is not None:
            self.webhook.send({"text": f"tokentide: {len(rows)} price alert(s)", "alerts": rows})
        return alerts

    def write_feed(self, recent: Sequence[PriceChange], now: datetime) -> None:
        if self.settings.atom_path is not None:
            write_atom(self.settings.atom_path, recent, now)

    def close(self) -> None:
        if self.webhook is not None:
            self.webhook.close()


def _append_lines(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(dumps(row, sort_keys=True) + "\n" for row in rows).encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:  # one O_APPEND write: lines from two processes never interleave
        os.write(descriptor, data)
    finally:
        os.close(descriptor)
