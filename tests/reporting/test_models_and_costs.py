"""Today's prices one row per model, superseded generations, aliases, display names and the cost calculator."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tokentide.reporting import model_rows
from tokentide.reporting.cost import Workload, monthly_cost
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.filters import parse_filters
from tokentide.reporting.scope import Scope, build_scope


def test_one_row_per_model_with_regions_and_sources_folded(scope: Scope) -> None:
    rows = model_rows.model_rows(scope)
    assert rows["canonical_model_id"].is_unique
    assert len(rows) == scope.current()["canonical_model_id"].nunique()
    nova = rows[rows["canonical_model_id"] == "nova-pro"].iloc[0]  # five bedrock rows: regions and two sources
    behind = model_rows.provider_rows(scope, "nova-pro")
    assert nova["n_offers"] == len(behind) == 5
    assert nova["blended_low_usd_per_mtok"] == behind["blended_usd_per_mtok"].min()
    assert nova["blended_high_usd_per_mtok"] == behind["blended_usd_per_mtok"].max()


def test_superseded_generations_are_flagged_and_hidden_by_default(dataset: Dataset) -> None:
    mid = build_scope(dataset, parse_filters({"tier": "mid", "author": "anthropic,openai,google"}))
    rows = model_rows.model_rows(mid)
    sonnet3 = rows[rows["model_name"] == "Claude 3 Sonnet"].iloc[0]
    assert sonnet3["status"] == model_rows.SUPERSEDED and sonnet3["superseded_by"] == "Claude Sonnet 5"
    current = model_rows.visible_rows(rows, include_superseded=False)
    assert "Claude 3 Sonnet" not in set(current["model_name"]) and "Claude Sonnet 5" in set(current["model_name"])
    assert len(model_rows.visible_rows(rows, include_superseded=True)) == len(rows) > len(current)
    per_maker = current.groupby("author").size()  # the newest mid model of each maker, one row each
    assert (per_maker == 1).all() and set(per_maker.index) == {"anthropic", "openai", "google"}


def test_undated_models_are_never_called_superseded() -> None:
    launch = pd.DataFrame(
        {
            "canonical_model_id": ["a1", "a2", "a3"], "model_name": ["A1", "A2", "A3"], "author": ["x"] * 3,
            "assigned_tier": ["mid"] * 3, "is_open_weights": [False] * 3,
            "release_date": pd.to_datetime(["2024-01-01", "2025-01-01", None]),
        }
    )  # fmt: skip
    assert model_rows.successors(launch) == {"a1": "A2"}


@pytest.mark.parametrize(
    ("model_id", "alias"),
    [("gemini-flash-latest", True), ("gpt-4o-2024-08-06", True), ("claude-3-5-sonnet-20240620", True),
     ("deepseek-v4-flash-0731", True), ("gpt-4o", False), ("claude-sonnet-4-6", False), ("o3-mini", False)],
)  # fmt: skip
def test_aliases_and_dated_snapshots_are_recognised(model_id: str, alias: bool) -> None:
    assert model_rows.is_alias(model_id) is alias


def test_pickers_show_display_names_that_find_a_model_by_name(scope: Scope) -> None:
    names = model_rows.display_names(scope)
    assert names["claude-sonnet-4-6"] == "Claude Sonnet 4.6 (anthropic)"
    assert len(set(names.values())) == len(names)  # a label picks exactly one model


PRICES = pd.DataFrame(
    {
        "model_name": ["A", "B", "C"],
        "usd_per_mtok_input": [3.0, 1.0, 2.0],
        "usd_per_mtok_output": [15.0, 4.0, math.nan],
        "usd_per_mtok_cache_read": [0.3, math.nan, 0.2],
    }
)


def test_monthly_cost_known_answer_with_cached_tokens() -> None:
    costs = monthly_cost(PRICES, Workload(2_000, 1_000, 500, 100_000)).set_index("model_name")
    # A: 1,000 x $3 + 1,000 x $0.3 + 500 x $15 per million = $0.0108 a request
    assert costs.loc["A", "usd_per_request"] == pytest.approx(0.0108)
    assert costs.loc["A", "usd_per_month"] == pytest.approx(1_080.0)
    # B publishes no cached price: its cached tokens are billed as input (2,000 x $1 + 500 x $4)
    assert costs.loc["B", "usd_per_request"] == pytest.approx(0.004) and not costs.loc["B", "cache_priced"]
    assert math.isnan(costs.loc["C", "usd_per_month"])  # unknown output price: unknown cost, never zero
    assert list(costs.index) == ["B", "A", "C"]  # cheapest first, unknown last


def test_a_workload_cannot_cache_more_than_its_input() -> None:
    with pytest.raises(ValueError, match="cannot exceed"):
        Workload(100, 200, 10, 1)
    with pytest.raises(ValueError, match="not be negative|not negative"):
        Workload(-1, 0, 10, 1)
