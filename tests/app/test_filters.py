"""Filters and options from URL queries: round trips, defaults, and untrusted values kept as inert data."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tests.app.conftest import INJECTION
from tokentide.reporting.filters import (
    DATE_MAX,
    MAX_VALUE_CHARS,
    MAX_VALUES,
    Filters,
    model_mask,
    parse_filters,
    permalink,
    provider_mask,
)
from tokentide.reporting.options import OPTION_SPECS, parse_option, parse_options


def test_defaults_make_an_empty_query() -> None:
    assert Filters().to_query() == {}
    assert parse_filters({}) == Filters()
    assert Filters().is_default


def test_round_trip_through_the_query() -> None:
    filters = Filters(
        tiers=("mid", "flagship"),
        providers=("openrouter",),
        authors=("openai",),
        countries=("US", "CN"),
        date_from=date(2023, 1, 1),
        date_to=date(2025, 6, 30),
        reasoning="reasoning",
        open_weights="closed",
        weights="1:1",
        as_of=date(2025, 1, 31),
        tier_rule="price-band",
        pick="cheapest",
    )
    assert parse_filters(filters.to_query()) == filters
    assert "tier=mid%2Cflagship" in filters.key


def test_repeated_keys_and_commas_both_work() -> None:
    parsed = parse_filters({"author": ["openai", "anthropic,google"], "country": "us"})
    assert parsed.authors == ("openai", "anthropic", "google")
    assert parsed.countries == ("US",)


@pytest.mark.parametrize(
    ("query", "expected_warning"),
    [
        ({"from": "yesterday"}, "not a date"),
        ({"w": "3:x"}, "weights"),
        ({"w": "0:0"}, "weights"),
        ({"reasoning": "maybe"}, "reasoning"),
        ({"rule": "astrology"}, "rule"),
        ({"pick": "random"}, "pick"),
        ({"asof": "9999-12-31"}, "moved inside"),
    ],
)
def test_malformed_modes_fall_back_with_a_warning(query: dict[str, str], expected_warning: str) -> None:
    parsed = parse_filters(query)
    assert any(expected_warning in w for w in parsed.warnings)
    assert parsed.weights == "3:1" or "w" not in query
    assert parsed.as_of in (None, DATE_MAX)


def test_swapped_dates_are_put_in_order() -> None:
    parsed = parse_filters({"from": "2025-01-01", "to": "2024-01-01"})
    assert (parsed.date_from, parsed.date_to) == (date(2024, 1, 1), date(2025, 1, 1))


def test_untrusted_names_stay_data_and_are_bounded() -> None:
    long_value = "a" * 10_000
    parsed = parse_filters({"author": [INJECTION, long_value], "provider": ",".join(f"p{i}" for i in range(500))})
    assert parsed.authors == (INJECTION, "a" * MAX_VALUE_CHARS)
    assert len(parsed.providers) == MAX_VALUES
    frame = pd.DataFrame({"author": ["openai", INJECTION[:-1]], "provider": ["x", "p1"]})
    assert not model_mask(
        frame.assign(
            author_country=None, is_reasoning=None, is_open_weights=None, release_date=None, assigned_tier=None
        ),
        parsed,
    ).any()
    assert provider_mask(frame, parsed).tolist() == [False, True]


def test_weights_are_normalised() -> None:
    assert parse_filters({"w": "3.0:1"}).weights == "3:1"
    assert parse_filters({"w": "1:0"}).weights == "1:0"


def test_model_mask_applies_every_model_filter() -> None:
    frame = pd.DataFrame(
        {
            "author": ["openai", "deepseek", "openai"],
            "author_country": ["US", "CN", "US"],
            "is_reasoning": pd.array([True, False, None], dtype="boolean"),
            "is_open_weights": pd.array([False, True, False], dtype="boolean"),
            "release_date": pd.to_datetime(["2024-05-13", "2025-01-20", None]),
            "assigned_tier": ["flagship", "flagship", None],
        }
    )
    assert model_mask(frame, Filters(countries=("CN",))).tolist() == [False, True, False]
    assert model_mask(frame, Filters(reasoning="non-reasoning")).tolist() == [False, True, False]
    assert model_mask(frame, Filters(reasoning="reasoning")).tolist() == [True, False, False]
    assert model_mask(frame, Filters(open_weights="open")).tolist() == [False, True, False]
    assert model_mask(frame, Filters(date_from=date(2025, 1, 1))).tolist() == [False, True, False]
    assert model_mask(frame, Filters(tiers=("flagship",), authors=("openai",))).tolist() == [True, False, False]


def test_permalink_keeps_the_page_and_drops_an_old_query() -> None:
    link = permalink("http://127.0.0.1:8501/half_life?old=1", {"tier": "mid", "method": "theil-sen"})
    assert link == "http://127.0.0.1:8501/half_life?tier=mid&method=theil-sen"
    assert permalink("http://h/overview", {}) == "http://h/overview"


def test_describe_names_the_market() -> None:
    text = Filters(tiers=("mid",), countries=("CN",), as_of=date(2025, 1, 1)).describe()
    assert text == "tier: mid; country: CN; as of 2025-01-01"
    assert Filters().describe() == "all models (as of latest data)"


def test_options_fall_back_to_their_defaults() -> None:
    assert parse_option(OPTION_SPECS["method"], "theil-sen") == "theil-sen"
    assert parse_option(OPTION_SPECS["method"], INJECTION) == "ols"
    assert parse_option(OPTION_SPECS["break"], "2024-13-40") == OPTION_SPECS["break"].default
    assert parse_option(OPTION_SPECS["mult"], "-3") == OPTION_SPECS["mult"].default
    assert parse_option(OPTION_SPECS["min"], "12.50") == "12.5"
    assert parse_option(OPTION_SPECS["models"], ["gpt-4o,o1", "gpt-4o"]) == "gpt-4o,o1"
    assert parse_option(OPTION_SPECS["q"], INJECTION) == INJECTION
    assert parse_options({})["basis"] == "models-by-author"
