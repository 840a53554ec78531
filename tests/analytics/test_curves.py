"""Launch prices and per-tier frontiers on hand-made intervals with known answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.analytics.synthetic import build_intervals
from tokentide.analytics.curves import frontier_decline, launch_prices, tier_frontier


def _launch(rows: list[dict[str, object]], **options: object) -> pd.DataFrame:
    return launch_prices(build_intervals(rows), **options).set_index("canonical_model_id")


def test_launch_price_is_the_price_in_force_at_release_not_a_later_cut() -> None:
    common = dict(canonical_model_id="m", release_date="2024-01-10")
    launch = _launch(
        [
            common | dict(valid_from="2023-12-01", valid_to="2024-02-01", usd_per_mtok_output=10.0),
            common | dict(valid_from="2024-02-01", usd_per_mtok_output=5.0),
        ]
    )
    assert launch.loc["m", "usd_per_mtok"] == 10.0
    assert launch.loc["m", "launch_at"] == pd.Timestamp("2024-01-10", tz="UTC")
    assert launch.loc["m", "launch_lag_days"] == 0.0


def test_launch_price_waits_for_the_first_known_price_and_can_be_capped() -> None:
    common = dict(canonical_model_id="m", release_date="2024-01-01")
    rows = [
        common | dict(valid_from="2024-01-01", valid_to="2024-03-01", usd_per_mtok_output=None),
        common | dict(valid_from="2024-03-01", usd_per_mtok_output=7.0),
    ]
    launch = _launch(rows)
    assert launch.loc["m", "usd_per_mtok"] == 7.0
    assert launch.loc["m", "launch_lag_days"] == 60.0
    capped = _launch(rows, max_lag_days=30)
    assert math.isnan(capped.loc["m", "usd_per_mtok"])
    assert capped.loc["m", "price_state"] == "unknown"


def test_launch_price_prefers_the_makers_own_price() -> None:
    common = dict(canonical_model_id="m", author="maker", release_date="2024-01-01")
    launch = _launch(
        [
            common | dict(provider="reseller", usd_per_mtok_output=1.0),
            common | dict(provider="maker", usd_per_mtok_output=3.0),
            common | dict(provider="other", usd_per_mtok_output=2.0),
        ]
    )
    assert launch.loc["m", "usd_per_mtok"] == 3.0
    cheapest = _launch(
        [common | dict(provider="reseller", usd_per_mtok_output=1.0), common | dict(usd_per_mtok_output=3.0)],
        provider="cheapest",
    )
    assert cheapest.loc["m", "usd_per_mtok"] == 1.0


def test_models_without_a_known_price_or_date_keep_an_unknown_row() -> None:
    launch = _launch(
        [
            dict(canonical_model_id="unpriced", release_date="2024-01-01", usd_per_mtok_output=None),
            dict(canonical_model_id="undated", release_date=None, valid_from="2024-01-01", usd_per_mtok_output=2.0),
            dict(canonical_model_id="free", release_date="2024-01-01", usd_per_mtok_output=0.0),
        ]
    )
    assert launch["price_state"].to_dict() == {"unpriced": "unknown", "undated": "unknown", "free": "free"}
    assert launch.loc["free", "usd_per_mtok"] == 0.0


def _tiered(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "canonical_model_id": [r[0] for r in rows],
            "assigned_tier": [r[1] for r in rows],
            "release_date": pd.to_datetime([r[2] for r in rows]).tz_localize("UTC"),
            "usd_per_mtok": [r[3] for r in rows],
        }
    )


def test_frontier_counts_models_at_or_above_the_tier() -> None:
    launch = _tiered(
        [
            ("e20", "economy", "2020-06-01", 4.0),
            ("m21", "mid", "2021-06-01", 3.0),
            ("f22", "flagship", "2022-06-01", 1.0),
            ("e23", "economy", "2023-06-01", 2.0),  # cheaper than economy's past, but not than the frontier
            ("free", "economy", "2023-07-01", 0.0),
            ("unknown", "mid", "2023-08-01", math.nan),
        ]
    )
    frontier = tier_frontier(launch)
    steps = {tier: group["usd_per_mtok"].tolist() for tier, group in frontier.steps.groupby("tier")}
    assert steps == {"economy": [4.0, 3.0, 1.0], "mid": [3.0, 1.0], "flagship": [1.0]}
    setters = frontier.steps[frontier.steps["tier"] == "economy"]["canonical_model_id"].tolist()
    assert setters == ["e20", "m21", "f22"]
    assert (frontier.n_excluded_free, frontier.n_excluded_unknown) == (1, 1)


def test_decline_fold_runs_from_the_first_flagship_to_the_cheapest_model_since() -> None:
    launch = _tiered(
        [
            ("older", "economy", "2019-06-01", 0.05),  # before the first flagship: not "since"
            ("ada", "economy", "2020-06-01", 0.8),
            ("davinci", "flagship", "2020-06-01", 60.0),
            ("cheap", "economy", "2022-06-01", 0.5),
            ("cheapest", "economy", "2025-06-01", 0.1),
            ("free", "economy", "2025-07-01", 0.0),  # free is not a price to divide by
        ]
    )
    decline = frontier_decline(launch)
    assert decline.fold == pytest.approx(600.0)
    assert (decline.start_model, decline.end_model) == ("davinci", "cheapest")
    assert decline.end_date == pd.Timestamp("2025-06-01", tz="UTC")
    assert decline.span_years == pytest.approx(5.0, abs=0.01)
    without_flagship = launch[launch["canonical_model_id"] != "davinci"]
    assert not frontier_decline(without_flagship, start_tier="mid").ok  # nothing at or above mid
    assert frontier_decline(launch, start_tier="mid").start_model == "davinci"  # flagship is above mid
    all_models = frontier_decline(launch.drop(index=0), start_tier=None)
    assert all_models.fold == pytest.approx(8.0) and all_models.start_model == "ada"
