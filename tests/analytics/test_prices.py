"""Blends, workloads, provider selection and the price in force, on hand-made intervals."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.analytics.synthetic import build_intervals
from tokentide.analytics.prices import (
    Workload,
    blended_usd_per_mtok,
    known_at,
    parse_weights,
    price_at,
    price_usd_per_mtok,
    select_provider,
    workload_cost,
)


def _prices(pairs: list[tuple[float | None, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"usd_per_mtok_input": [p[0] for p in pairs], "usd_per_mtok_output": [p[1] for p in pairs]}, dtype=float
    )


@pytest.mark.parametrize(("text", "expected"), [("3:1", (3.0, 1.0)), ("1:1", (1.0, 1.0)), (" 2 : 0.5 ", (2.0, 0.5))])
def test_parse_weights_reads_ratio_strings(text: str, expected: tuple[float, float]) -> None:
    assert parse_weights(text) == expected


@pytest.mark.parametrize("text", ["3", "3:1:1", "a:b", "0:0", "-1:2", "nan:1"])
def test_parse_weights_rejects_nonsense(text: str) -> None:
    with pytest.raises(ValueError, match="weights"):
        parse_weights(text)


def test_blend_is_weighted_mean_of_input_and_output() -> None:
    frame = _prices([(1.0, 5.0), (0.0, 0.0)])
    assert blended_usd_per_mtok(frame).tolist() == [2.0, 0.0]  # (3*1 + 5) / 4
    assert blended_usd_per_mtok(frame, "1:1").tolist() == [3.0, 0.0]
    assert blended_usd_per_mtok(frame, (1, 3)).tolist() == [4.0, 0.0]
    assert price_usd_per_mtok(frame, "input").tolist() == [1.0, 0.0]
    assert price_usd_per_mtok(frame, "output").tolist() == [5.0, 0.0]


def test_blend_with_an_unknown_side_is_unknown_not_cheaper() -> None:
    frame = _prices([(None, 4.0), (2.0, None)])
    assert blended_usd_per_mtok(frame).isna().all()  # NaN->0 would give 1.0 and 1.5
    # A side with zero weight is not needed, so its being unknown does not matter.
    assert blended_usd_per_mtok(frame, "0:1").tolist()[0] == 4.0
    assert blended_usd_per_mtok(frame, "1:0").tolist()[1] == 2.0


def test_workload_cost_bills_cached_tokens_at_cache_read_price() -> None:
    frame = _prices([(2.0, 8.0)]).assign(usd_per_mtok_cache_read=[0.5])
    cost = workload_cost(frame, Workload(input_tokens=1000, output_tokens=500, cached_input_tokens=2000))
    # 1000 * 2 + 500 * 8 + 2000 * 0.5 = 7000 micro-dollars over 3500 tokens.
    assert cost["usd_per_workload"].iloc[0] == pytest.approx(0.007)
    assert cost["usd_per_mtok_total"].iloc[0] == pytest.approx(2.0)


def test_workload_with_unknown_cache_price_stays_unknown() -> None:
    frame = _prices([(2.0, 8.0)]).assign(usd_per_mtok_cache_read=[math.nan])
    cached = workload_cost(frame, Workload(input_tokens=1000, output_tokens=500, cached_input_tokens=2000))
    assert cached.isna().all(axis=None)  # not silently billed at the input price, nor at 0
    uncached = workload_cost(frame, Workload(input_tokens=1000, output_tokens=500))
    assert uncached["usd_per_workload"].iloc[0] == pytest.approx(0.006)


def test_workload_rejects_empty_or_negative_counts() -> None:
    with pytest.raises(ValueError):
        Workload(input_tokens=0, output_tokens=0)
    with pytest.raises(ValueError):
        Workload(input_tokens=-1, output_tokens=10)


def _provider_rows() -> pd.DataFrame:
    def row(model: str, provider: str, price: float | None) -> dict[str, object]:
        return dict(
            canonical_model_id=model,
            author="maker",
            provider=provider,
            release_date="2024-01-01",
            usd_per_mtok_input=price,
            usd_per_mtok_output=price,
        )

    return build_intervals(
        [
            row("a", "maker", 4.0),
            row("a", "x", 1.0),
            row("a", "y", 2.0),
            row("a", "z", None),  # unknown: must not be cheapest nor pull the median down
            row("b", "x", 1.0),
            row("b", "y", 3.0),
            row("c", "maker", None),
            row("c", "x", 6.0),
            row("c", "y", 8.0),
            row("d", "x", None),
        ]
    ).assign(usd_per_mtok=lambda f: blended_usd_per_mtok(f))


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("first-party", {"a": 4.0, "b": 2.0, "c": 7.0}),  # b has no maker row, c's maker price is unknown
        ("median", {"a": 2.0, "b": 2.0, "c": 7.0}),
        ("cheapest", {"a": 1.0, "b": 1.0, "c": 6.0}),
    ],
)
def test_select_provider(how: str, expected: dict[str, float]) -> None:
    chosen = select_provider(_provider_rows(), how).set_index("canonical_model_id")
    assert chosen["usd_per_mtok"].drop("d").to_dict() == expected
    assert math.isnan(chosen.loc["d", "usd_per_mtok"])  # kept, so callers can count it
    assert chosen.loc["a", "n_providers"] == 3


def test_select_provider_names_the_maker_when_it_chose_the_makers_price() -> None:
    chosen = select_provider(_provider_rows(), "first-party").set_index("canonical_model_id")
    assert chosen.loc["a", "price_provider"] == "maker"
    assert chosen.loc["b", "price_provider"].startswith("median")


def _two_intervals() -> pd.DataFrame:
    common = dict(canonical_model_id="m", release_date="2024-01-01")
    return build_intervals(
        [
            common | dict(valid_from="2024-01-01", valid_to="2024-06-01", usd_per_mtok_output=10.0),
            common | dict(valid_from="2024-06-01", usd_per_mtok_output=5.0),
        ]
    )


@pytest.mark.parametrize(
    ("at", "expected"), [("2024-05-31 23:59", [10.0]), ("2024-06-01", [5.0]), ("2030-01-01", [5.0]), ("2023-12-31", [])]
)
def test_price_at_uses_inclusive_start_and_exclusive_end(at: str, expected: list[float]) -> None:
    assert price_at(_two_intervals(), at)["usd_per_mtok_output"].tolist() == expected


def test_known_at_hides_the_future() -> None:
    frame = pd.concat(
        [
            _two_intervals(),
            build_intervals([dict(canonical_model_id="late", release_date="2025-01-01", usd_per_mtok_output=1.0)]),
        ]
    )
    seen = known_at(frame, "2024-03-01")
    assert seen["canonical_model_id"].tolist() == ["m"]
    assert seen["valid_to"].isna().all()  # the June close was not known in March
    assert len(known_at(frame, "2024-07-01")) == 2
