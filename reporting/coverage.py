"""What the warehouse covers: per source models, dated share and history span; per year launch prices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from tokentide.analytics.coverage import THIN_LAUNCHES, yearly_launch_coverage
from tokentide.analytics.curves import launch_prices
from tokentide.analytics.tiers import apply_tier_rule
from tokentide.warehouse.queries import intervals_frame
from tokentide.warehouse.release_dates import CHOSEN_SQL

TIER_RULE = "positioning"
THIN_DATED_MODELS = 500  # fewer dated paid launch prices than this: the Overview suggests a backfill
BACKFILL_HINT = "tokentide backfill --source litellm --every week"
# Measured on 2026-12-01 (docs/backfill.md): a weekly LiteLLM backfill since 2023 fetched about 29 MB.
BACKFILL_ESTIMATE_MB = 30

_SOURCES_SQL = f"""
WITH dates AS ({CHOSEN_SQL}),
models AS (SELECT DISTINCT source, canonical_model_id FROM price_intervals),
spans AS (
    SELECT source, min(as_of) AS first_as_of, max(as_of) AS last_as_of, count(*) AS snapshots
    FROM raw_snapshots WHERE status = 'applied' GROUP BY source
),
history AS (SELECT source, min(valid_from) AS first_price_at FROM price_intervals GROUP BY source)
SELECT m.source, count(*) AS models, count(d.release_date) AS dated_models,
       count(d.release_date) / count(*) AS dated_share,
       least(any_value(h.first_price_at), any_value(s.first_as_of)) AS history_from,
       any_value(s.last_as_of) AS history_to, coalesce(any_value(s.snapshots), 0) AS snapshots
FROM models m LEFT JOIN dates d USING (canonical_model_id) LEFT JOIN spans s USING (source)
LEFT JOIN history h USING (source)
GROUP BY m.source ORDER BY m.source
"""  # noqa: S608 - module constants only


@dataclass(frozen=True)
class Coverage:
    sources: pd.DataFrame  # source, models, dated_models, dated_share, history_from, history_to, snapshots
    years: pd.DataFrame  # year, tier, paid_launch_prices, makers, thin
    dated_paid_launches: int
    tier_rule: str = TIER_RULE
    thin_launches: int = THIN_LAUNCHES

    @property
    def history_is_thin(self) -> bool:
        return self.dated_paid_launches < THIN_DATED_MODELS

    def to_json_dict(self) -> dict[str, Any]:
        """Strict JSON: timestamps as ISO 8601 UTC (`...Z`), no NaN."""
        sources = [
            {k: _plain(v) for k, v in row.items()} for row in self.sources.to_dict("records")
        ]  # fmt: skip
        return {
            "tier_rule": self.tier_rule,
            "thin_below_paid_launch_prices": self.thin_launches,
            "dated_paid_launch_prices": self.dated_paid_launches,
            "sources": sources,
            "years": [{k: _plain(v) for k, v in row.items()} for row in self.years.to_dict("records")],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.tz_localize(None).isoformat(timespec="seconds") + "Z"
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def source_coverage(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    frame = conn.execute(_SOURCES_SQL).df()
    for column in ("history_from", "history_to"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def launch_coverage(intervals: pd.DataFrame, overrides: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, int]:
    """Per-year coverage of the launch table under the default tier rule, and the number of dated paid launches."""
    if intervals.empty:
        return pd.DataFrame(columns=["year", "tier", "paid_launch_prices", "makers", "thin"]), 0
    launch, _ = apply_tier_rule(launch_prices(intervals), TIER_RULE, overrides=overrides or None, aliases=intervals)
    dated = int(((launch["price_state"] == "paid") & launch["release_date"].notna()).sum())
    return yearly_launch_coverage(launch), dated


def coverage(conn: duckdb.DuckDBPyConnection, overrides: Mapping[str, str] | None = None) -> Coverage:
    years, dated = launch_coverage(intervals_frame(conn), overrides)
    return Coverage(source_coverage(conn), years, dated)
