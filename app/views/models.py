"""Models & prices: every current price, searchable and sortable, and price histories side by side."""

from __future__ import annotations

import streamlit as st

from tokentide.app import state, tables, ui
from tokentide.reporting import scoped_analyses
from tokentide.reporting.filters import blend_label

ctx = state.context()
scope = ctx.scope
ui.header(
    "Models & prices",
    "Current list prices per model and provider (as of the as-of date), in USD per million tokens.",
    scope,
)
if scope.is_empty:
    ui.empty_state(scope)
else:
    query = state.option("q")
    table = scoped_analyses.price_display(scope, query)
    counts = scoped_analyses.state_counts(scope, ("prices", query), table)
    cols = st.columns(4)
    cols[0].metric("Prices listed", f"{len(table):,}")
    cols[1].metric("Paid", f"{int(counts.get('paid', 0)):,}")
    cols[2].metric("Free (source says 0)", f"{int(counts.get('free', 0)):,}")
    cols[3].metric("Unknown (not published)", f"{int(counts.get('unknown', 0)):,}")
    if table.empty:
        ui.not_enough(f"No model name or id contains “{query}”.")
    else:
        order = [
            "model_name",
            "model_id",
            "provider",
            "state",
            "usd_per_mtok_input",
            "usd_per_mtok_output",
            "usd_per_mtok_cache_read",
            "usd_per_mtok_reasoning",
            "blended_usd_per_mtok",
            "assigned_tier",
            "author",
            "author_country",
            "release_date",
            "valid_from",
            "source",
            "source_url",
            "captured_at",
            "sha256",
            "interval_id",
        ]
        st.caption(
            f"Blended = {blend_label(scope.filters.weights)}. Empty price cells are unknown, never zero; "
            "FREE (0) means the source lists the model at no charge. Click a column header to sort."
        )
        shown = scoped_analyses.first_rows(scope, ("prices", query), table, tables.MAX_TABLE_ROWS)
        tables.selectable(shown, "price_table", scope, tables.price_columns(), order=order, height=520)
        tables.more_rows_note(table, shown, "prices", "prices.csv")

    st.markdown("#### Compare price histories")
    models = state.option("models", choices=scoped_analyses.model_choices(scope))
    if not models:
        st.caption("Choose up to 8 models above to draw their prices over time, one step line per provider and source.")
    else:
        ui.chart_panel("price-history", scope, {"models": models}, height=520)
