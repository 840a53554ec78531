"""Settings for collecting: sources and their schedule, HTTP retries, alerts (TOML sections: docs/configuration.md)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tokentide.collectors import artificial_analysis, openrouter_endpoints
from tokentide.collectors.fetching import RetryPolicy
from tokentide.collectors.registry import COLLECTED, HOUR
from tokentide.settings.config import ConfigError, Settings
from tokentide.warehouse.guard import GuardSettings

WEBHOOK_ENV = "TOKENTIDE_WEBHOOK_URL"
_UNITS = {"s": 1.0, "m": 60.0, "h": HOUR, "d": 24 * HOUR}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


@dataclass(frozen=True)
class SourceSettings:
    name: str
    url: str
    every_seconds: float
    enabled: bool = True
    follow: tuple[str, ...] = ()  # openrouter-endpoints: model ids (author/slug)
    follow_all: bool = False  # openrouter-endpoints: every model of the latest openrouter catalogue
    max_models: int = 500
    request_interval_seconds: float = 1.0


@dataclass(frozen=True)
class AlertRule:
    name: str
    models: tuple[str, ...] = ()  # globs on the model id as the source names it
    providers: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    min_pct: float | None = None
    direction: str = "both"


@dataclass(frozen=True)
class AlertSettings:
    rules: tuple[AlertRule, ...] = ()
    jsonl_path: Path | None = None
    webhook_url: str | None = None
    webhook_attempts: int = 3
    atom_path: Path | None = None
    atom_max_entries: int = 200


@dataclass(frozen=True)
class CollectSettings:
    sources: dict[str, SourceSettings]
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout_seconds: float = 30.0
    connect_timeout_seconds: float = 10.0
    lock_wait_seconds: float = 60.0
    max_parallel: int = 8  # sources fetched at once by `tokentide collect` (every default source at once)
    per_host: int = 1  # of those, at most this many from one host at a time (politeness)
    misfire_grace_seconds: float = 900.0
    run_in_app: bool = False
    alerts: AlertSettings = field(default_factory=AlertSettings)
    discrepancy_threshold_pct: float = 10.0
    guard: GuardSettings = field(default_factory=GuardSettings)

    def enabled(self) -> list[SourceSettings]:
        return [s for s in self.sources.values() if s.enabled]


class _Table:
    """One TOML table, read key by key with type checks; unknown keys are errors (typos must not pass)."""

    def __init__(self, settings: Settings, name: str, value: Any) -> None:
        if not isinstance(value, dict):
            raise ConfigError(f"{settings.path}: [{name}] must be a table")
        self.path, self.name, self.value, self.used = settings.path, name, value, set[str]()

    def get(self, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        self.used.add(key)
        if key not in self.value:
            return default
        value = self.value[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.error(key, value)
        if not isinstance(value, kind):
            raise self.error(key, value)
        return value

    def number(self, key: str, default: float, minimum: float = 0.0) -> float:
        value = float(self.get(key, (int, float), default))
        if value < minimum:
            raise self.error(key, value)
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, list, [])
        if not all(isinstance(item, str) for item in value):
            raise self.error(key, value)
        return tuple(item.strip() for item in value if item.strip())

    def error(self, key: str, value: Any) -> ConfigError:
        return ConfigError(f"{self.path}: {self.name}.{key} has an unusable value {value!r}")

    def done(self) -> None:
        unknown = sorted(set(self.value) - self.used)
        if unknown:
            raise ConfigError(f"{self.path}: unknown key(s) in [{self.name}]: {', '.join(unknown)}")


def duration_seconds(value: object) -> float:
    """'90s', '15m', '1h', '6h', '1d' or a number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or float(match[1]) <= 0:
        raise ValueError(f"not a duration: {value!r} (use e.g. '30s', '15m', '1h', '6h', '1d')")
    return float(match[1]) * _UNITS[match[2]]


def format_duration(seconds: float) -> str:
    """3600 -> '1h'; the inverse of duration_seconds for whole units."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def _enabled_by_default(name: str, follows: bool) -> bool:
    """Endpoints run only when models are followed; Artificial Analysis only when its API key is set."""
    if name == openrouter_endpoints.SOURCE:
        return follows
    if name == artificial_analysis.SOURCE:
        return artificial_analysis.api_key() is not None
    return True


def _source(settings: Settings, name: str, value: Any) -> SourceSettings:
    default_url, default_every = COLLECTED[name]
    table = _Table(settings, f"sources.{name}", value)
    every = table.get("every", (str, int, float), default_every)
    try:
        every_seconds = duration_seconds(every)
    except ValueError as exc:
        raise ConfigError(f"{settings.path}: sources.{name}.every: {exc}") from exc
    follow = table.strings("follow")
    follow_all = table.get("follow_all", bool, False)
    source = SourceSettings(
        name=name,
        url=table.get("url", str, default_url).strip(),
        every_seconds=every_seconds,
        enabled=table.get("enabled", bool, _enabled_by_default(name, bool(follow or follow_all))),
        follow=follow,
        follow_all=follow_all,
        max_models=int(table.number("max_models", 500, minimum=1)),
        request_interval_seconds=table.number("request_interval_seconds", 1.0),
    )
    table.done()
    return source


def _sources(settings: Settings) -> dict[str, SourceSettings]:
    table = settings.section("sources")
    unknown = sorted(set(table) - set(COLLECTED))
    if unknown:
        raise ConfigError(
            f"{settings.path}: unknown source(s) {', '.join(unknown)} in [sources]; collected: {', '.join(COLLECTED)}"
        )
    return {name: _source(settings, name, table.get(name, {})) for name in COLLECTED}


def _rule(settings: Settings, position: int, value: Any) -> AlertRule:
    table = _Table(settings, f"alerts.rules[{position}]", value)
    direction = table.get("direction", str, "both")
    if direction not in ("up", "down", "both"):
        raise table.error("direction", direction)
    min_pct = table.get("min_pct", (int, float), None)
    rule = AlertRule(
        name=table.get("name", str, f"rule {position + 1}"),
        models=table.strings("models"),
        providers=table.strings("providers"),
        authors=table.strings("authors"),
        sources=table.strings("sources"),
        min_pct=None if min_pct is None else float(min_pct),
        direction=direction,
    )
    table.done()
    return rule


def _path(value: str) -> Path | None:
    """An output file; an empty string turns the output off."""
    return None if not value.strip() else Path(os.path.expandvars(value.strip())).expanduser()


def _alerts(settings: Settings, data_dir: Path) -> AlertSettings:
    table = _Table(settings, "alerts", settings.section("alerts"))
    rules_value = table.get("rules", list, [])
    rules = tuple(_rule(settings, i, r) for i, r in enumerate(rules_value))
    configured = table.get("webhook_url", str, "").strip()
    webhook = os.environ.get(WEBHOOK_ENV, "").strip() or configured or None
    if webhook and not webhook.startswith(("https://", "http://")):
        raise ConfigError(f"{settings.path}: the webhook URL must start with https:// or http://")
    alerts = AlertSettings(
        rules=rules,
        jsonl_path=_path(table.get("jsonl_path", str, str(data_dir / "alerts.jsonl"))),
        webhook_url=webhook,
        webhook_attempts=int(table.number("webhook_attempts", 3, minimum=1)),
        atom_path=_path(table.get("atom_path", str, str(data_dir / "changes.atom"))),
        atom_max_entries=int(table.number("atom_max_entries", 200, minimum=1)),
    )
    table.done()
    return alerts


def collect_settings(settings: Settings, db: Path) -> CollectSettings:
    """Everything `collect`, `schedule` and `app` need from the config file; files default next to the warehouse."""
    http = _Table(settings, "collect", settings.section("collect"))
    schedule = _Table(settings, "schedule", settings.section("schedule"))
    changes = _Table(settings, "discrepancies", settings.section("discrepancies"))
    retry = RetryPolicy(
        max_attempts=int(http.number("max_attempts", 4, minimum=1)),
        base_delay_seconds=http.number("backoff_base_seconds", 2.0),
        max_delay_seconds=http.number("backoff_max_seconds", 60.0),
        max_total_seconds=http.number("max_retry_seconds", 300.0),
    )
    result = CollectSettings(
        sources=_sources(settings),
        retry=retry,
        timeout_seconds=http.number("timeout_seconds", 30.0, minimum=0.1),
        connect_timeout_seconds=http.number("connect_timeout_seconds", 10.0, minimum=0.1),
        lock_wait_seconds=http.number("lock_wait_seconds", 60.0),
        max_parallel=int(http.number("max_parallel", 8, minimum=1)),
        per_host=int(http.number("per_host", 1, minimum=1)),
        misfire_grace_seconds=schedule.number("misfire_grace_seconds", 900.0, minimum=1.0),
        run_in_app=schedule.get("in_app", bool, False),
        alerts=_alerts(settings, db.parent),
        discrepancy_threshold_pct=changes.number("threshold_pct", 10.0),
        guard=settings.guard,
    )
    for table in (http, schedule, changes):
        table.done()
    return result
