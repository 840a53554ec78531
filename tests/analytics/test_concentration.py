"""HHI and CR4 on known shares, guideline bands, bases, usage validation and the country split."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.analytics.synthetic import build_intervals
from tokentide.analytics.concentration import (
    band_1992,
    concentration,
    country_split,
    cr4,
    hhi,
    is_highly_concentrated,
    validate_usage,
)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [([25, 25, 25, 25], 2500.0), ([1], 10000.0), ([50, 30, 20], 3800.0), ([5, 3, 2], 3800.0), ([1] * 10, 1000.0)],
)
def test_hhi_of_known_shares(sizes: list[float], expected: float) -> None:
    assert hhi(np.array(sizes)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [([25, 25, 25, 25], 100.0), ([1] * 5, 80.0), ([50, 30, 20], 100.0), ([40, 20, 10, 10, 10, 10], 80.0)],
)
def test_cr4_of_known_shares(sizes: list[float], expected: float) -> None:
    assert cr4(np.array(sizes)) == pytest.approx(expected)


@given(st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=1, max_size=30), st.floats(0.1, 100.0))
def test_hhi_is_bounded_and_scale_free(sizes: list[float], scale: float) -> None:
    values = np.array(sizes)
    value = hhi(values)
    assert 10000.0 / len(values) - 1e-6 <= value <= 10000.0 + 1e-6
    assert hhi(values * scale) == pytest.approx(value)


def test_hhi_rejects_empty_or_negative_sizes() -> None:
    for bad in ([], [1.0, -1.0], [0.0, 0.0], [np.nan]):
        with pytest.raises(ValueError):
            hhi(np.array(bad))


def test_2023_band_flips_just_above_1800() -> None:
    assert not is_highly_concentrated(1799.0)
    assert not is_highly_concentrated(1800.0)
    assert is_highly_concentrated(1801.0)
    assert not is_highly_concentrated(hhi(np.array([30, 10, 10, 10, 10, 10, 10, 10])))  # 900 + 7 * 100 = 1600
    assert is_highly_concentrated(hhi(np.array([40, 15, 15, 15, 15])))  # 1600 + 4 * 225 = 2500


def test_1992_bands_are_labelled_as_such() -> None:
    assert band_1992(999.0).startswith("unconcentrated")
    assert band_1992(1000.0).startswith("moderately")
    assert band_1992(1800.0).startswith("moderately")
    assert band_1992(1801.0).startswith("highly")
    assert all("1992" in band_1992(v) for v in (500.0, 1500.0, 2500.0))


def _catalogue(per_year: dict[str, dict[str, int]], country: dict[str, str] | None = None) -> pd.DataFrame:
    rows = []
    for year, counts in per_year.items():
        for author, n in counts.items():
            for i in range(n):
                rows.append(
                    dict(
                        canonical_model_id=f"{author}-{year}-{i}",
                        author=author,
                        author_country=(country or {}).get(author, "US"),
                        release_date=f"{year}-06-01",
                        usd_per_mtok_output=1.0,
                    )
                )
    return build_intervals(rows)


def test_models_by_author_series_with_change_flags() -> None:
    frame = _catalogue(
        {
            "2022": {"a": 1, "b": 1, "c": 1, "d": 1},  # 2500
            "2023": {"a": 2},  # 10000: +7500
            "2024": {"a": 5, "b": 3, "c": 2},  # 3800: -6200
            "2025": {"a": 10, "b": 6, "c": 4},  # 3800: no change
        }
    )
    result = concentration(frame, "models-by-author")
    series = result.series.set_index("period")
    assert series["hhi"].tolist() == pytest.approx([2500.0, 10000.0, 3800.0, 3800.0])
    assert series["cr4"].tolist() == pytest.approx([100.0, 100.0, 100.0, 100.0])
    assert series["change_over_100"].tolist() == [False, True, True, False]
    assert series["highly_concentrated"].tolist() == [True, True, True, True]
    assert result.latest_hhi == pytest.approx(3800.0) and result.latest_period == "2025"
    assert result.basis == "models-by-author"


def test_a_year_without_releases_is_skipped_not_scored() -> None:
    series = concentration(_catalogue({"2020": {"a": 1}, "2022": {"a": 1, "b": 1}})).series
    assert series["period"].tolist() == ["2020", "2022"]
    assert series["previous_period"].iloc[1] == "2020" and series["change"].iloc[1] == pytest.approx(-5000.0)


def test_filters_apply_before_shares_and_are_stated() -> None:
    frame = _catalogue({"2024": {"us1": 2, "us2": 2, "cn1": 6}}, country={"cn1": "CN"})
    whole = concentration(frame, "models-by-author")
    us_only = concentration(frame[frame["author_country"] == "US"], "models-by-author", filters="author_country=US")
    assert whole.latest_hhi == pytest.approx(20**2 + 20**2 + 60**2)
    assert us_only.latest_hhi == pytest.approx(5000.0)  # shares of the US market, not of the whole
    assert "author_country=US" in us_only.market_definition
    assert "before shares" in us_only.market_definition


def test_endpoints_by_provider_counts_listed_endpoints_per_period() -> None:
    def endpoint(model: str, provider: str, start: str, end: str | None = None) -> dict[str, object]:
        return dict(
            canonical_model_id=model,
            author="maker",
            provider=provider,
            release_date="2024-01-01",
            valid_from=start,
            valid_to=end,
            usd_per_mtok_output=1.0,
        )

    frame = build_intervals(
        [
            endpoint("m1", "p1", "2024-01-01"),
            endpoint("m1", "p1", "2024-03-01"),  # same endpoint again (a price change): counted once
            endpoint("m2", "p1", "2024-01-01"),
            endpoint("m1", "p2", "2024-02-01", "2024-05-01"),  # gone before the second half
            endpoint("m3", "p4", "2024-01-01", "2024-02-01"),
            endpoint("m2", "p3", "2024-08-01"),
        ]
    )
    result = concentration(frame, "endpoints-by-provider", period="half-year", end="2024-12-31")
    series = result.series.set_index("period")
    assert series.loc["2024H1", "hhi"] == pytest.approx(50**2 + 25**2 + 25**2)  # p1: 2, p2: 1, p4: 1
    assert series.loc["2024H2", "hhi"] == pytest.approx((200 / 3) ** 2 + (100 / 3) ** 2)  # p1: 2, p3: 1
    assert "endpoints" in result.market_definition
    assert result.firm == "provider"


def test_models_listed_by_author_counts_the_catalogue_stock_per_period() -> None:
    def listing(model: str, author: str, start: str, end: str | None = None, provider: str = "p") -> dict[str, object]:
        return dict(
            canonical_model_id=model,
            author=author,
            author_country="US" if author != "c" else "CN",
            provider=provider,
            release_date=start,
            valid_from=start,
            valid_to=end,
            usd_per_mtok_output=1.0,
        )

    frame = build_intervals(
        [
            listing("a1", "a", "2023-03-01"),  # released in 2023, still listed in 2024: counted in both years
            listing("a1", "a", "2023-03-01", provider="q"),  # a second provider: still one model
            listing("a1", "a", "2023-09-01"),  # a price change: still one model
            listing("b1", "b", "2023-05-01", "2023-08-01"),  # delisted in 2023: absent from 2024
            listing("c1", "c", "2024-02-01"),
            listing("c2", "c", "2024-06-01"),
        ]
    )
    listed = concentration(frame, "models-listed-by-author", period="year", end="2024-12-31")
    series = listed.series.set_index("period")
    assert series.loc["2023", "hhi"] == pytest.approx(50**2 + 50**2)  # a1, b1
    assert series.loc["2024", "hhi"] == pytest.approx((100 / 3) ** 2 + (200 / 3) ** 2)  # a1; c1, c2
    assert series.loc["2024", "n_firms"] == 2 and series.loc["2024", "total"] == 3
    assert "listed in the catalogue" in listed.market_definition
    assert listed.firm == "author"
    released = concentration(frame, "models-by-author", period="year").series.set_index("period")
    assert released.loc["2024", "hhi"] == pytest.approx(10_000)  # by release, 2024 holds only c's two models
    split = country_split(frame, "models-listed-by-author", period="year", end="2024-12-31").set_index(
        ["period", "country_group"]
    )
    assert split.loc[("2024", "CN"), "share_pct"] == pytest.approx(200 / 3)


def test_usage_basis_validates_and_uses_the_chosen_measure() -> None:
    usage = pd.DataFrame(
        {"period": ["2025-01"] * 3, "provider": ["x", "y", "z"], "tokens": [50, 30, 20], "spend_usd": [1, 1, 2]}
    )
    assert concentration(usage, "usage").latest_hhi == pytest.approx(3800.0)
    by_spend = concentration(usage, "usage", measure="spend_usd")
    assert by_spend.latest_hhi == pytest.approx(25**2 + 25**2 + 50**2)
    assert "spend_usd" in by_spend.market_definition and "provider" in by_spend.market_definition


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"period": ["p"], "author": ["a"]}), "missing columns"),
        (pd.DataFrame({"period": ["p"], "tokens": [1]}), "author' or a 'provider"),
        (pd.DataFrame({"period": ["p", "p"], "author": ["a", "b"], "tokens": [1, -1]}), r"bad rows \[1\]"),
        (pd.DataFrame({"period": ["p", "p"], "author": ["a", "b"], "tokens": [1, None]}), "non-negative number"),
        (pd.DataFrame({"period": ["p", "p"], "author": ["a", "b"], "tokens": ["1", "lots"]}), "non-negative"),
        (pd.DataFrame({"period": [None, "p"], "author": ["a", "b"], "tokens": [1, 1]}), "must not be blank"),
    ],
)
def test_usage_file_errors_are_clear(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_usage(frame)


def test_country_split_keeps_unknown_apart_from_other() -> None:
    frame = _catalogue(
        {"2025": {"us": 4, "cn": 3, "fr": 2, "nowhere": 1}}, country={"cn": "CN", "fr": "FR", "nowhere": None}
    )
    split = country_split(frame).set_index("country_group")
    assert set(split["basis"]) == {"models-by-author"}
    assert split["share_pct"].to_dict() == pytest.approx({"US": 40.0, "CN": 30.0, "other": 20.0, "unknown": 10.0})


def test_periods_on_few_makers_or_models_are_flagged_thin_with_counts() -> None:
    frame = _catalogue(
        {
            "2023": {"a": 4, "b": 2},  # 6 models from 2 makers: both too few
            "2024": {m: 2 for m in "abcdef"},  # 12 models from 6 makers: too few models only
            "2025": {m: 4 for m in "abcdef"},  # 24 models from 6 makers: enough
        }
    )
    series = concentration(frame, "models-by-author").series.set_index("period")
    assert series["n_models"].tolist() == [6, 12, 24]
    assert series["n_makers"].tolist() == [2, 6, 6]
    assert series["thin"].tolist() == [True, True, False]
    assert "only 2 firms" in series.loc["2023", "thin_reason"] and "only 6 models" in series.loc["2023", "thin_reason"]
    assert series.loc["2024", "thin_reason"] == "only 12 models (< 20)"
    assert series.loc["2025", "thin_reason"] is None


def test_the_headline_skips_a_partial_period_and_thin_periods() -> None:
    """Data ending inside 2026 make 2026 partial; 2020 rests on one maker (thin); the headline is 2025."""
    rows = [("openai", "2020-06-01")] * 3
    rows += [(f"maker{i % 6}", f"{year}-03-01") for year in (2024, 2025) for i in range(24)]
    rows += [(f"maker{i % 6}", "2026-02-01") for i in range(30)]
    frame = pd.DataFrame(
        {
            "canonical_model_id": [f"m{i}" for i in range(len(rows))],
            "author": [a for a, _ in rows],
            "release_date": pd.to_datetime([d for _, d in rows]),
        }
    )
    result = concentration(frame, "models-by-author", period="year", data_end="2026-10-26")
    by = result.series.set_index("period")
    assert bool(by.loc["2026", "partial"]) and not bool(by.loc["2025", "partial"]) and bool(by.loc["2020", "thin"])
    assert result.latest_period == "2026" and result.headline_period == "2025"
    assert result.headline_hhi == by.loc["2025", "hhi"]
    whole = concentration(frame, "models-by-author", period="year", data_end="2027-01-01")
    assert whole.headline_period == "2026"  # once the data run past the year's end it is full
