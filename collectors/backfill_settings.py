"""The [backfill] settings: package index URL and download concurrency."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from tokentide.collectors.backfill import MAX_CONCURRENCY, BackfillOptions
from tokentide.collectors.fetching import RetryPolicy
from tokentide.collectors.sources import duration_seconds
from tokentide.settings.config import ConfigError, Settings

KEYS = ("index_url", "concurrency", "schedule_every")
DEFAULT_SCHEDULE_EVERY_SECONDS = 24 * 3600.0


def backfill_options(settings: Settings, policy: RetryPolicy | None = None) -> BackfillOptions:
    """[backfill] index_url = "https://pypi.org" (PEP 691 JSON simple API), concurrency = 1..4."""
    table = settings.section("backfill")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{settings.path}: unknown key(s) in [backfill]: {', '.join(unknown)}")
    options = BackfillOptions(policy=policy or RetryPolicy())
    if "index_url" in table:
        url = table["index_url"]
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"{settings.path}: backfill.index_url must be an http(s) URL, got {url!r}")
        options = replace(options, index_url=url)
    if "concurrency" in table:
        value = table["concurrency"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_CONCURRENCY:
            raise ConfigError(f"{settings.path}: backfill.concurrency must be 1..{MAX_CONCURRENCY}, got {value!r}")
        options = replace(options, concurrency=value)
    return options


def schedule_every_seconds(settings: Settings) -> float | None:
    """[backfill] schedule_every = "1d" (default) | "off": how often `tokentide schedule` loads new releases
    of a source that was backfilled before."""
    value = settings.section("backfill").get("schedule_every", DEFAULT_SCHEDULE_EVERY_SECONDS)
    if value in ("off", False):
        return None
    try:
        seconds = duration_seconds(value)
    except (ConfigError, ValueError, TypeError) as exc:
        raise ConfigError(f"{settings.path}: backfill.schedule_every must be a duration such as \"1d\" or \"off\", "
                          f"got {value!r}") from exc  # fmt: skip
    return seconds if seconds > 0 else None
