"""Known answers for the price of capability: synthetic thresholds, new lows, thin fits and the method options."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tokentide.analytics.capability import (
    CapabilityMethod,
    Threshold,
    cheapest_step,
    fitted_line,
    price_of_capability,
    threshold_for_model,
)

EPOCH_ZERO = pd.Timestamp("1970-01-01")


def day(years: float) -> pd.Timestamp:
    """A date `years` after 2023-01-01 in Epoch's 365-day years."""
    return pd.Timestamp("2023-01-01") + pd.Timedelta(days=round(365 * years))


def frame(rows: list[tuple[str, float, float, float]], reasoning: set[str] = frozenset()) -> pd.DataFrame:
    """(model, years after 2023-01-01, USD per Mtok, score)."""
    return pd.DataFrame(
        {
            "model": [r[0] for r in rows],
            "date": [day(r[1]) for r in rows],
            "usd_per_mtok_blended": [r[2] for r in rows],
            "score": [r[3] for r in rows],
            "is_reasoning": [r[0] in reasoning for r in rows],
        }
    )


# A tenfold fall per year among the models at or above 50; distractors that must not enter the fit.
DECLINE = frame(
    [
        ("ref", 0.0, 100.0, 50.0),  # sets the threshold
        ("too-weak-cheap", 0.2, 0.001, 49.9),  # below the threshold: never counts
        ("low-1", 1.0, 10.0, 55.0),
        ("dearer-later", 1.5, 50.0, 90.0),  # qualifies but is no new low
        ("low-2", 2.0, 1.0, 51.0),
        ("same-price", 2.5, 1.0, 70.0),  # ties the low: not strictly cheaper, not a new low
        ("low-3", 3.0, 0.1, 60.0),
    ]
)


def test_a_tenfold_yearly_fall_is_found_exactly_with_its_new_lows() -> None:
    threshold = threshold_for_model(DECLINE, "bench", "ref")
    assert threshold == Threshold("bench", 50.0, "ref", day(0))
    trend = price_of_capability(DECLINE, threshold)
    assert trend.new_lows["model"].tolist() == ["ref", "low-1", "low-2", "low-3"]
    assert len(trend.qualifying) == 6  # everything at or above 50
    fit = trend.fit
    assert fit is not None and fit.n == 4
    assert fit.factor_per_year == pytest.approx(10.0, rel=1e-9)
    assert fit.r_squared == pytest.approx(1.0)
    assert (fit.factor_ci_low, fit.factor_ci_high) == (pytest.approx(10.0), pytest.approx(10.0))  # no residuals


def test_all_qualifying_entry_rule_fits_every_model_at_or_above_the_threshold() -> None:
    threshold = threshold_for_model(DECLINE, "bench", "ref")
    trend = price_of_capability(DECLINE, threshold, CapabilityMethod(entry="all-qualifying"))
    assert trend.fit is not None and trend.fit.n == 6
    assert trend.fit.factor_per_year < 10.0  # the dearer later models flatten the slope


def test_fewer_than_four_new_lows_is_thin_and_shows_no_interval() -> None:
    rows = DECLINE[DECLINE["model"] != "low-3"]
    trend = price_of_capability(rows, threshold_for_model(rows, "bench", "ref"))
    assert trend.fit is None
    assert trend.thin_reason is not None and "only 3 new lows" in trend.thin_reason
    assert fitted_line(trend).empty


def test_models_released_before_the_threshold_model_are_ignored_unless_asked() -> None:
    earlier = pd.concat([frame([("old-cheap", -0.5, 1.0, 80.0)]), DECLINE], ignore_index=True)
    threshold = threshold_for_model(earlier, "bench", "ref")
    epoch = price_of_capability(earlier, threshold)
    assert "old-cheap" not in epoch.qualifying["model"].tolist()
    anywhere = price_of_capability(earlier, threshold, CapabilityMethod(start="first-qualifying"))
    assert anywhere.new_lows["model"].tolist() == ["old-cheap", "low-3"]  # 1.0 then only 0.1 is cheaper
    assert anywhere.fit is None  # two new lows: thin


def test_reasoning_models_are_left_out_by_default_and_in_when_asked() -> None:
    rows = pd.concat([DECLINE, frame([("thinker", 1.2, 5.0, 95.0)])], ignore_index=True)
    rows["is_reasoning"] = rows["model"].eq("thinker")
    threshold = threshold_for_model(rows, "bench", "ref")
    assert "thinker" not in price_of_capability(rows, threshold).new_lows["model"].tolist()
    included = price_of_capability(rows, threshold, CapabilityMethod(exclude_reasoning=False))
    assert "thinker" in included.new_lows["model"].tolist()


def test_a_score_threshold_without_a_reference_model() -> None:
    trend = price_of_capability(DECLINE, Threshold("bench", 55.0))
    assert trend.threshold.label == "score ≥ 55"
    # low-2 (51) is below 55; dearer-later is no low after low-1; same-price is the first model at 55+ under 10
    assert trend.new_lows["model"].tolist() == ["low-1", "same-price", "low-3"]


def test_bootstrap_interval_brackets_a_noisy_fit_and_collapses_without_noise() -> None:
    rng = np.random.default_rng(7)
    years = np.linspace(0, 4, 12)
    prices = 100.0 * 10 ** (-0.8 * years) * 10 ** rng.normal(0, 0.05, len(years))
    noisy = frame([(f"m{i}", float(t), float(p), 60.0) for i, (t, p) in enumerate(zip(years, prices, strict=True))])
    method = CapabilityMethod(entry="all-qualifying", ci="bootstrap", bootstrap_draws=500)
    fit = price_of_capability(noisy, Threshold("bench", 50.0), method).fit
    assert fit is not None and fit.factor_ci_low < fit.factor_per_year < fit.factor_ci_high
    assert fit.factor_ci_low < 10**0.8 < fit.factor_ci_high
    exact = price_of_capability(DECLINE, threshold_for_model(DECLINE, "bench", "ref"), CapabilityMethod(ci="bootstrap"))
    assert exact.fit is not None and exact.fit.factor_ci_low == pytest.approx(10.0)
    assert "bootstrap" in exact.fit.estimator


def test_the_step_line_holds_each_low_until_the_next() -> None:
    trend = price_of_capability(DECLINE, threshold_for_model(DECLINE, "bench", "ref"))
    step = cheapest_step(trend, until=day(4))
    assert step["usd_per_mtok_blended"].tolist() == [100.0, 10.0, 1.0, 0.1]
    assert step["until"].tolist() == [day(1), day(2), day(3), day(4)]


def test_the_fitted_band_contains_the_fitted_line() -> None:
    rows = DECLINE.copy()
    rows.loc[rows["model"] == "low-2", "usd_per_mtok_blended"] = 2.0  # some residual
    trend = price_of_capability(rows, threshold_for_model(rows, "bench", "ref"))
    line = fitted_line(trend)
    assert (line["usd_per_mtok_low"] <= line["usd_per_mtok_fitted"] * (1 + 1e-12)).all()
    assert (line["usd_per_mtok_fitted"] <= line["usd_per_mtok_high"] * (1 + 1e-12)).all()
    assert math.isclose(line["usd_per_mtok_fitted"].iloc[0] / line["usd_per_mtok_fitted"].iloc[-1],
                        trend.fit.factor_per_year ** 3, rel_tol=1e-6)  # fmt: skip


def test_bad_method_options_are_refused() -> None:
    with pytest.raises(ValueError, match="entry"):
        CapabilityMethod(entry="cheapest")
    with pytest.raises(ValueError, match="ci"):
        CapabilityMethod(ci="wald")


def test_the_selection_aware_interval_collapses_without_noise_and_names_itself() -> None:
    method = CapabilityMethod(ci="selection-bootstrap", bootstrap_draws=200)
    exact = DECLINE[DECLINE["model"].isin(["ref", "low-1", "low-2", "low-3"])]  # every point on the line
    fit = price_of_capability(exact, threshold_for_model(exact, "bench", "ref"), method).fit
    assert fit is not None and fit.factor_per_year == pytest.approx(10.0)
    assert (fit.factor_ci_low, fit.factor_ci_high) == (pytest.approx(10.0), pytest.approx(10.0))
    assert "selection-aware" in fit.estimator


def test_the_selection_aware_interval_widens_and_shifts_a_noisy_new_lows_fit() -> None:
    rng = np.random.default_rng(11)
    years = np.sort(rng.uniform(0, 3, 40))
    prices = 30.0 * 10 ** (-1.0 * years) * 10 ** rng.normal(0, 0.5, len(years))
    market = frame([(f"m{i}", float(t), float(p), 60.0) for i, (t, p) in enumerate(zip(years, prices, strict=True))])
    threshold = Threshold("bench", 50.0)
    epoch = price_of_capability(market, threshold, CapabilityMethod(start="first-qualifying")).fit
    aware = price_of_capability(
        market, threshold, CapabilityMethod(start="first-qualifying", ci="selection-bootstrap", bootstrap_draws=500)
    ).fit
    assert epoch is not None and aware is not None
    assert aware.factor_per_year < epoch.factor_per_year  # new lows overstate the fall: corrected downwards
    assert aware.factor_ci_low < aware.factor_per_year < aware.factor_ci_high
    assert aware.factor_ci_low < epoch.factor_ci_low
