"""The planted-truth calibration: its designs do what they say, and a bounded run meets the targets."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tokentide.analytics.calibration import (
    DESIGNS,
    PLANTED_TIER_LINES,
    RESIDUAL_VARIANCE,
    chow_size_table,
    coverage_table,
    run_calibration,
    simulate,
)
from tokentide.analytics.halflife import DEFAULT_CI_METHOD
from tokentide.reporting.calibration_run import curated_models

MILESTONES = Path(__file__).resolve().parents[2] / "warehouse" / "reference" / "milestones.csv"
DESIGN = {d.name: d for d in DESIGNS}


@pytest.fixture(scope="module")
def models() -> pd.DataFrame:
    return curated_models()  # what `make calibrate` runs on: the packaged curated table


def test_design_uses_the_curated_launches_real_dates_makers_and_tiers(models: pd.DataFrame) -> None:
    raw = pd.read_csv(MILESTONES)
    launches = raw[raw["event"] == "launch"]
    assert len(models) == launches["model_id"].nunique()
    assert set(models["author"]) == set(launches["author"])
    assert models["release_date"].is_monotonic_increasing and models["t_years"].iloc[0] == 0.0


def test_maker_effect_takes_the_planted_share_of_residual_variance(models: pd.DataFrame) -> None:
    design = DESIGN["maker share 0.6"]
    between, total = [], []
    for seed in range(300):
        sample = simulate(models, design, np.random.default_rng(seed))
        lines = np.array([PLANTED_TIER_LINES[t] for t in sample["tier"]])
        resid = sample["y_tiers"] - lines[:, 0] - lines[:, 1] * sample["t_years"]
        maker_mean = resid.groupby(sample["maker"]).transform("mean")
        within = resid - maker_mean
        total.append(resid.var())
        between.append(resid.var() - within.var())
    assert np.mean(total) == pytest.approx(RESIDUAL_VARIANCE, rel=0.1)
    assert np.mean(between) / np.mean(total) == pytest.approx(0.6, abs=0.1)


def test_short_lived_makers_release_in_one_consecutive_run(models: pd.DataFrame) -> None:
    sample = simulate(models, DESIGN["short-lived makers"], np.random.default_rng(1))
    runs = (sample["maker"] != sample["maker"].shift()).sum()
    assert runs == sample["maker"].nunique()  # each maker appears as one block in date order
    assert sorted(sample["maker"].value_counts()) == sorted(models["author"].value_counts())


def test_thin_periods_keep_about_forty_percent_of_early_releases(models: pd.DataFrame) -> None:
    design = DESIGN["thin periods"]
    early = (models["release_date"] < pd.Timestamp(design.thin_before, tz="UTC")).sum()
    kept = [
        (
            simulate(models, design, np.random.default_rng(s))["release_date"]
            < pd.Timestamp(design.thin_before, tz="UTC")
        ).sum()
        for s in range(200)
    ]
    assert np.mean(kept) / early == pytest.approx(design.thin_keep, abs=0.03)


@pytest.mark.slow
def test_bounded_calibration_meets_the_targets_within_binomial_noise(models: pd.DataFrame) -> None:
    """30 seeds per design (the full run, `make calibrate`, uses 250). Each design's coverage of the default
    method pools the all-model fit and the three planted-tier fits: 120 intervals, binomial SE at 95 %
    about 2 points, so the target band [93 %, 97 %] is widened by 3 SE each side. Chow size pools the
    four designs (120 null series, SE about 2 points) and is held to 6 % + 3 SE. Price-band tiers select
    on the simulated price, so their coverage is expected to fall below that of planted tiers."""
    seeds = 30
    fits, chows = run_calibration(models, seeds=seeds, methods=(DEFAULT_CI_METHOD,), draws=199)
    inferential = fits[fits["scope"] != "price-band tiers"]
    for design, part in inferential.groupby("design"):
        judged = part["covered"].dropna().astype(bool)
        se = math.sqrt(0.95 * 0.05 / len(judged))
        assert 0.93 - 3 * se <= judged.mean() <= 0.97 + 3 * se, (design, judged.mean(), len(judged))
    table = coverage_table(fits)
    planted = table[table["scope"] == "planted tiers"]["coverage"].mean()
    price_band = table[table["scope"] == "price-band tiers"]["coverage"].mean()
    assert price_band < planted
    sizes = chow_size_table(chows.assign(design="pooled"))
    for row in sizes[sizes["test"].str.contains("wild cluster")].itertuples():
        assert row.size <= 0.06 + 3 * math.sqrt(0.05 * 0.95 / row.n), (row.test, row.size)
