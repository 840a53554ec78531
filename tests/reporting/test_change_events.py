"""Changes people can read: one row per model event, readable fields, launch prices, aliases, signed movers."""

from __future__ import annotations

import pandas as pd

from tokentide.reporting import change_events
from tokentide.reporting.change_log import biggest_movers, filter_changes
from tokentide.reporting.chartbook import build_chart
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.filters import parse_filters
from tokentide.reporting.scope import Scope, build_scope

T = pd.Timestamp("2026-05-01 10:00", tz="UTC")


def _row(**values: object) -> dict[str, object]:
    base = {"source": "s1", "model_id": "m", "provider": "p", "canonical_model_id": "m", "author": "a",
            "event": "price_change", "field": "usd_per_mtok_input", "old_value": 3.0, "new_value": 2.0,
            "pct_change": -33.333, "direction": "down", "first_seen_at": T, "interval_id": 1, "source_url": "u",
            "captured_at": T, "sha256": "h"}  # fmt: skip
    return base | values


INTERVALS = pd.DataFrame(
    {"interval_id": [1, 2], "canonical_model_id": ["m", "n"], "model_name": ["Model M", "Model N"],
     "usd_per_mtok_input": [2.0, 0.5], "usd_per_mtok_output": [10.0, 2.0], "usd_per_mtok_cache_read": [0.2, None]}
)  # fmt: skip


def test_one_price_change_is_one_row_with_readable_fields() -> None:
    log = pd.DataFrame(
        [
            _row(),
            _row(field="usd_per_mtok_output", old_value=15.0, new_value=10.0, pct_change=-33.333),
            _row(source="s2"),  # the same move seen by a second source
            _row(model_id="m-latest"),  # ... and under a moving alias
        ]
    )
    events = change_events.model_events(log, INTERVALS)
    assert len(events) == 1
    event = events.iloc[0]
    assert event["what"] == "input $3 → $2 (−33 %) · output $15 → $10 (−33 %)"
    assert event["change"] == "cut" and event["sources"] == "s1, s2" and event["model_name"] == "Model M"
    assert "usd_per_mtok" not in event["what"] and not event["is_alias"]


def test_a_new_model_shows_the_price_it_launched_at() -> None:
    log = pd.DataFrame([_row(event="new_model", field=None, old_value=None, new_value=None, pct_change=None,
                             direction=None, model_id="n", canonical_model_id="n", interval_id=2)])  # fmt: skip
    event = change_events.model_events(log, INTERVALS).iloc[0]
    assert event["what"] == "launched at input $0.5 · output $2" and event["change"] == "new model"


def test_an_alias_only_event_is_flagged_and_left_out_of_the_counts() -> None:
    log = pd.DataFrame([_row(model_id="gemini-flash-latest", canonical_model_id="gemini-flash")])
    events = change_events.model_events(log, INTERVALS)
    assert events["is_alias"].all()
    counts = change_events.event_counts(events)
    assert counts["events"] == 0 and counts["aliases"] == 1


def test_cuts_and_rises_are_the_default_and_listings_are_opt_in(scope: Scope) -> None:
    moves = filter_changes(scope.changes, direction="moves")
    assert len(moves) and set(moves["event"]) <= {"price_change", "free_to_paid", "paid_to_free"}
    everything = filter_changes(scope.changes, direction="all")
    assert (everything["event"] == "new_model").any()


def test_movers_are_in_signed_order_without_aliases_and_the_axis_stops_at_minus_100(scope: Scope) -> None:
    movers = biggest_movers(scope.changes)
    assert movers["pct_change"].is_monotonic_increasing  # deepest cut first, then the rises
    assert not movers["model_id"].str.endswith("latest").any()
    assert not movers.duplicated(["canonical_model_id", "provider", "field", "first_seen_at"]).any()
    chart = build_chart("movers", scope, {"dir": "all"})
    assert chart.figure.layout.xaxis.range[0] >= -100


def test_three_makers_changes_fold_to_fewer_rows_than_fields(dataset: Dataset) -> None:
    three = build_scope(dataset, parse_filters({"author": "anthropic,openai,google"}))
    log = filter_changes(three.changes, direction="moves")
    events = change_events.model_events(log, three.intervals)
    assert 0 < len(events) < len(log)
    assert not events["what"].str.contains("usd_per_mtok").any()
