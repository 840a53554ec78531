"""Calibration of the price-of-capability intervals on a realistic design (slow; bounded to ~30 s).

Design, shaped like Epoch's inputs: 40 qualifying models released at random over three years, log10 prices
scattered (sd 0.5) around a true tenfold fall per year. Coverage = share of simulated markets whose 90 %
interval contains the true factor 10. Figures go to test-artifacts/reliability/capability_calibration.json.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.reliability.figures import record
from tokentide.analytics.capability import CapabilityMethod, Threshold, price_of_capability

pytestmark = pytest.mark.slow
MARKETS = 200
TRUE_FACTOR = 10.0


def market(rng: np.random.Generator) -> pd.DataFrame:
    years = np.sort(rng.uniform(0, 3, 40))
    log_prices = np.log10(30.0) - np.log10(TRUE_FACTOR) * years + rng.normal(0, 0.5, len(years))
    return pd.DataFrame(
        {
            "model": [f"m{i}" for i in range(len(years))],
            "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(np.round(years * 365), unit="D"),
            "usd_per_mtok_blended": 10**log_prices,
            "score": 60.0,
        }
    )


def coverage(ci: str, seed: int) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    method = CapabilityMethod(start="first-qualifying", ci=ci, bootstrap_draws=400)
    hits, fitted, estimates = 0, 0, []
    for _ in range(MARKETS):
        fit = price_of_capability(market(rng), Threshold("bench", 50.0), method).fit
        if fit is None:
            continue
        fitted += 1
        hits += fit.factor_ci_low <= TRUE_FACTOR <= fit.factor_ci_high
        estimates.append(fit.factor_per_year)
    return hits / fitted, float(np.median(estimates))


def test_the_selection_aware_interval_holds_its_90_percent_level_where_epochs_t_interval_does_not() -> None:
    t_coverage, t_median = coverage("ols-t", 5)
    aware_coverage, corrected_median = coverage("selection-bootstrap", 5)
    record("capability_calibration", markets=MARKETS, true_factor=TRUE_FACTOR, ols_t_coverage=t_coverage,
           selection_bootstrap_coverage=aware_coverage, new_lows_median_factor=t_median,
           corrected_median_factor=corrected_median)  # fmt: skip
    assert 0.84 <= aware_coverage <= 0.96, aware_coverage
    assert t_coverage < aware_coverage  # new lows are selected extremes: the t interval is too narrow
    assert t_median > TRUE_FACTOR  # and the new-lows fit overstates the fall
    assert abs(np.log(corrected_median / TRUE_FACTOR)) < abs(np.log(t_median / TRUE_FACTOR))  # less so, corrected
