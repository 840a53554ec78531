"""Changes: the warehouse's price-change log with filters, the biggest movers, and sources that disagree."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tokentide.app import state, tables, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import scoped_analyses
from tokentide.reporting.scope import TRACE_COLUMNS

ctx = state.context()
scope = ctx.scope
ui.header(
    "Price changes",
    "Every price change, new listing, delisting and free/paid flip each source recorded, one row per field.",
    scope,
)
options = ui.options_row(("dir", "min", "since"))
if scope.is_empty:
    ui.empty_state(scope)
else:
    chosen: dict[str, Any] = {"direction": options["dir"], "min_pct": float(options["min"]), "since": options["since"]}
    log = scoped_analyses.change_log(scope, **chosen)
    counts = scoped_analyses.change_counts(scope, **chosen)
    cols = st.columns(4)
    cols[0].metric("Events", f"{counts['events']:,}")
    cols[1].metric("Cuts", f"{counts['cuts']:,}")
    cols[2].metric("Rises", f"{counts['rises']:,}")
    cols[3].metric("New, relisted or delisted", f"{counts['listings']:,}")
    if log.empty:
        ui.not_enough("No changes match: widen the direction, threshold or date.")
    else:
        config = {
            "first_seen_at": st.column_config.DatetimeColumn("first seen (UTC)", format="YYYY-MM-DD HH:mm"),
            "pct_change": st.column_config.NumberColumn("change", format="%+.1f%%"),
            "old_value": st.column_config.NumberColumn("old $/Mtok", format="$%.4g"),
            "new_value": st.column_config.NumberColumn("new $/Mtok", format="$%.4g"),
        }
        order = [
            "first_seen_at",
            "model_name",
            "model_id",
            "provider",
            "event",
            "field",
            "old_value",
            "new_value",
            "pct_change",
            "direction",
            "old_state",
            "new_state",
            *TRACE_COLUMNS,
        ]
        shown = scoped_analyses.first_rows(scope, ("changes", *chosen.values()), log, tables.MAX_TABLE_ROWS)
        tables.selectable(shown, "changes_table", scope, config, order=order, height=420)
        tables.more_rows_note(log, shown, "events", "changes.csv")
        st.markdown("#### Biggest movers")
        ui.chart_panel("movers", scope, options, height=560)

    st.markdown("#### Where sources disagree")
    gaps = scope.discrepancies
    if gaps.empty:
        st.caption("No current price differs between two sources for the same model and provider.")
    else:
        st.caption("The same model at the same provider, priced differently by two sources now (input or output).")
        event = st.dataframe(
            arrow_of(gaps),
            key="gaps_table",
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            column_config={
                "pct_apart": st.column_config.NumberColumn("apart", format="%.0f%%"),
                "value_a": st.column_config.NumberColumn("price a", format="$%.4g"),
                "value_b": st.column_config.NumberColumn("price b", format="$%.4g"),
            },
        )
        if event.selection.rows:
            row = gaps.iloc[event.selection.rows[0]]
            left, right = st.columns(2)
            for column, side in ((left, "a"), (right, "b")):
                with column:
                    if pd.notna(row[f"interval_id_{side}"]):
                        ui.provenance_panel(scope, int(row[f"interval_id_{side}"]))
        else:
            st.caption("Select a row to see both sources' provenance side by side.")
