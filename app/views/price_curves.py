"""Price curves: launch prices and tier frontiers on a log scale, with fitted trends and their half-lives."""

from __future__ import annotations

import streamlit as st

from tokentide.analytics.curves import FRONTIER_DEFINITION
from tokentide.app import state, tables, ui

ctx = state.context()
scope = ctx.scope
ui.header(
    "Price curves",
    "Each dot is a model at its launch price; steps are each tier's cheapest price so far; dashed lines are fits.",
    scope,
)
options = ui.options_row(("color",))
if scope.is_empty:
    ui.empty_state(scope)
else:
    chart = ui.chart_panel("price-curves", scope, options, provenance=True)
    st.caption(FRONTIER_DEFINITION)
    st.markdown("#### Launch prices drawn")
    tables.launch_table(scope)
