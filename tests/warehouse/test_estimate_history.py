"""The live half-life estimate is recorded once per day per tier and window, and re-recorded on new data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from tokentide.collectors.default_data import load_default
from tokentide.reporting.half_life_record import estimate_rows, record_estimates
from tokentide.warehouse.connection import writer
from tokentide.warehouse.estimate_history import estimate_history_frame


def _planted(half_life_years: float, n: int = 40, seed: int = 1) -> pd.DataFrame:
    """Launch prices halving every `half_life_years`, one model per release, as price intervals."""
    rng = np.random.default_rng(seed)
    released = pd.to_datetime("2021-01-01", utc=True) + pd.to_timedelta(np.sort(rng.uniform(0, 5 * 365, n)), unit="D")
    years = (released - released[0]).days / 365.25
    price = 50 * 0.5 ** (years / half_life_years) * np.exp(rng.normal(0, 0.05, n))
    return pd.DataFrame(
        {
            "interval_id": range(n),
            "model_id": [f"m{i}" for i in range(n)],
            "canonical_model_id": [f"m{i}" for i in range(n)],
            "model_name": None,
            "author": "a",
            "author_country": "US",
            "provider": "a",
            "is_first_party": True,
            "source": "milestones",
            "release_date": released.tz_convert(None),
            "tier": "mid",
            "family": None,
            "is_reasoning": False,
            "is_open_weights": False,
            "valid_from": released,
            "valid_to": pd.NaT,
            "usd_per_mtok_input": price,
            "usd_per_mtok_output": price,
            "usd_per_mtok_cache_read": np.nan,
            "usd_per_mtok_cache_write": np.nan,
            "usd_per_mtok_reasoning": np.nan,
            "price_state": "paid",
            "source_url": "https://example.org",
            "snapshot_id": 1,
            "sha256": "0" * 64,
            "captured_at": released,
        }
    )


def test_rows_recover_a_planted_half_life() -> None:
    rows = estimate_rows(_planted(1.5), date(2026, 6, 1))
    by_key = {(r[1], r[2]): r for r in rows}
    mid_all = by_key[("mid", 0)]
    assert mid_all[5] is True and abs(mid_all[8] - 1.5) / 1.5 < 0.05
    assert by_key[("economy", 0)][5] is False  # no economy models: a refusal, not a number
    assert by_key[("mid", 24)][7] < mid_all[7]  # the rolling window sees fewer points


def test_recorded_once_per_day_and_replaced_by_a_later_write(db_path: Path) -> None:
    with writer(db_path) as conn:
        load_default(conn)
        assert record_estimates(conn, date(2026, 1, 1)) == 8
        record_estimates(conn, date(2026, 1, 1))
        record_estimates(conn, date(2026, 1, 2))
        history = estimate_history_frame(conn)
    assert len(history) == 16
    assert sorted(history["estimated_on"].astype(str).unique()) == ["2026-01-01", "2026-01-02"]
    assert set(history["tier"]) == {"all", "economy", "mid", "flagship"}
