"""Honest time: how old the newest data is, windows named by the data's end, and dates past the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

STALE_AFTER_DAYS: int = 7  # newer data than this needs no banner
REFRESH_HINT: str = (
    "To refresh, run `tokentide collect` (once) or `tokentide schedule` (keeps collecting), then reload this page."
)


def utc(stamp: object) -> pd.Timestamp | None:
    """A timestamp in UTC, or None for a missing one (naive stamps are taken as UTC)."""
    if stamp is None or (not isinstance(stamp, str | date | datetime | pd.Timestamp)) or pd.isna(stamp):
        return None
    moment = pd.Timestamp(stamp)
    return moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")


def day_text(stamp: object) -> str:
    """'26 Oct 2026' (the data's end as people write it)."""
    moment = utc(stamp)
    return "unknown" if moment is None else f"{moment.day} {moment:%b %Y}"


def age_days(stamp: object, now: pd.Timestamp) -> int | None:
    """Whole days from `stamp` to `now` (never negative), None when there is no stamp."""
    moment = utc(stamp)
    return None if moment is None else max((utc(now) - moment).days, 0)


@dataclass(frozen=True)
class Staleness:
    """How old the newest data are at `now`, and the banner to show when they are too old."""

    data_end: pd.Timestamp | None
    age_days: int | None
    stale: bool

    @property
    def banner(self) -> str | None:
        if self.data_end is None:
            return "No prices have been loaded yet. " + REFRESH_HINT
        if not self.stale:
            return None
        return (
            f"The newest prices are {self.age_days} days old: the data end on {day_text(self.data_end)} "
            f"({self.data_end:%Y-%m-%d %H:%M} UTC). Price changes published since then are not shown, and every "
            f"window on these pages ends on that date, not today. {REFRESH_HINT}"
        )


def staleness(data_end: object, now: pd.Timestamp, limit_days: int = STALE_AFTER_DAYS) -> Staleness:
    end = utc(data_end)
    days = age_days(end, now)
    return Staleness(end, days, days is not None and days > limit_days)


def window_label(end: object, days: int) -> str:
    """'7 days to 26 Oct 2026': a window named by where the data end, not by today."""
    return f"{days} days to {day_text(end)}"


def past_data_note(since: object, data_end: object) -> str | None:
    """When a chosen start date lies after the data's end, say so (an empty table is not 'no changes')."""
    start, end = utc(since), utc(data_end)
    if start is None or end is None or start <= end:
        return None
    return (
        f"The data end on {day_text(end)} ({end:%Y-%m-%d}), before the chosen date {start:%Y-%m-%d}: nothing can "
        f"match. Choose a date on or before {end:%Y-%m-%d}, or refresh the data (`tokentide collect`)."
    )


def ago(stamp: object, now: pd.Timestamp) -> str:
    days = age_days(stamp, now)
    if days is None:
        return "never"
    return "today" if days == 0 else ("yesterday" if days == 1 else f"{days} days ago")


def source_line(data_as_of: object, last_run_at: object, status: str | None, now: pd.Timestamp) -> str:
    """'published 26 Oct 2026 (36 days ago) · checked today (ok)': the data's date and the check's date
    are different things and are said apart."""
    published = utc(data_as_of)
    if published is None:
        head = "nothing published yet"
    else:
        head = f"published {day_text(published)} ({ago(published, now)})"
    checked = f"checked {ago(last_run_at, now)}" + (f" ({status})" if status else "")
    return f"{head} · {checked}"
