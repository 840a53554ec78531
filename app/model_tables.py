"""The Models page's tables: one row per model with a drill-down, and the workload cost calculator."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tokentide.app import tables, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import model_rows
from tokentide.reporting.cost import Workload, monthly_cost
from tokentide.reporting.scope import Scope

ORDER: list[str] = [
    "model_name", "blended_usd_per_mtok", "usd_per_mtok_input", "usd_per_mtok_output", "usd_per_mtok_cache_read",
    "assigned_tier", "author", "release_date", "status", "superseded_by", "n_offers", "n_providers",
    "blended_low_usd_per_mtok", "blended_high_usd_per_mtok", "price_provider", "model_id", "source", "source_url",
    "captured_at", "sha256",
]  # fmt: skip


def _config() -> dict[str, object]:
    usd = "$%.4g"
    return {
        "model_name": st.column_config.TextColumn("model", pinned=True),
        "blended_usd_per_mtok": st.column_config.NumberColumn("blended $/Mtok", format=usd, pinned=True),
        "usd_per_mtok_input": st.column_config.NumberColumn("input", format=usd),
        "usd_per_mtok_output": st.column_config.NumberColumn("output", format=usd),
        "usd_per_mtok_cache_read": st.column_config.NumberColumn("cached input", format=usd),
        "assigned_tier": "tier",
        "author": "maker",
        "release_date": st.column_config.DatetimeColumn("released", format="YYYY-MM-DD"),
        "superseded_by": "superseded by",
        "n_offers": st.column_config.NumberColumn(
            "offers", help="Provider, region and source rows folded into this row"
        ),
        "n_providers": st.column_config.NumberColumn("providers"),
        "blended_low_usd_per_mtok": st.column_config.NumberColumn("lowest (any provider)", format=usd),
        "blended_high_usd_per_mtok": st.column_config.NumberColumn("highest (any provider)", format=usd),
        "price_provider": "price from",
    }


def model_table(scope: Scope, shown: pd.DataFrame) -> None:
    """One row per model; selecting a row lists every provider, region and source row behind it."""
    frame = shown.head(tables.MAX_TABLE_ROWS)
    config: dict[str, Any] = {**tables.provenance_columns(), **_config()}
    event = st.dataframe(
        arrow_of(frame),
        key="model_table",
        hide_index=True,
        column_config=config,
        column_order=ORDER,
        height=min(520, 38 + 35 * max(len(frame), 1)),
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if not rows:
        return
    row = frame.iloc[rows[0]]
    behind = model_rows.provider_rows(scope, str(row[model_rows.MODEL_KEY]))
    st.markdown(f"**{ui.md(row['model_name'])}**: {len(behind)} price rows (providers, regions and sources)")
    tables.selectable(behind, "provider_rows", scope, tables.price_columns(), height=300)


def _workload() -> Workload:
    cols = st.columns(4)
    values = (
        cols[0].number_input("Input tokens per request", 0, 10_000_000, 2_000, step=500, key="cost_in"),
        cols[1].number_input("of which cached", 0, 10_000_000, 0, step=500, key="cost_cached"),
        cols[2].number_input("Output tokens per request", 0, 10_000_000, 500, step=100, key="cost_out"),
        cols[3].number_input("Requests per month", 0, 10_000_000_000, 100_000, step=10_000, key="cost_requests"),
    )
    cached = min(float(values[1]), float(values[0]))
    if values[1] > values[0]:
        st.caption("Cached tokens are part of the input: counted as at most the input tokens.")
    return Workload(float(values[0]), cached, float(values[2]), float(values[3]))


def cost_calculator(scope: Scope, shown: pd.DataFrame, key: tuple[object, ...]) -> None:
    """The workload's cost per model; `key` names the rows shown (they are memoised under it)."""
    st.markdown("#### What would my workload cost?")
    workload = _workload()
    costs = scope.memo(("monthly_cost", *key, workload), lambda: monthly_cost(shown, workload))
    st.dataframe(
        arrow_of(costs),
        key="cost_table",
        hide_index=True,
        column_order=[
            "model_name",
            "usd_per_month",
            "usd_per_request",
            "blended_usd_per_mtok",
            "assigned_tier",
            "author",
            "cache_priced",
            "price_provider",
        ],  # fmt: skip
        column_config={
            "model_name": st.column_config.TextColumn("model", pinned=True),
            "usd_per_month": st.column_config.NumberColumn("$ per month", format="$%,.2f", pinned=True),
            "usd_per_request": st.column_config.NumberColumn("$ per request", format="$%.4g"),
            "blended_usd_per_mtok": st.column_config.NumberColumn("blended $/Mtok", format="$%.4g"),
            "assigned_tier": "tier",
            "author": "maker",
            "cache_priced": st.column_config.CheckboxColumn(
                "cache price known", help="Unticked: no cached-input price published, cached tokens billed as input"
            ),
            "price_provider": "price from",
        },
        height=min(420, 38 + 35 * max(len(costs), 1)),
    )
    st.caption(
        "Cost = (uncached input × input price + cached input × cached-input price + output × output price) per "
        "request, × requests per month, at list prices (no batch or volume discounts). Click a header to sort."
    )
