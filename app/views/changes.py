"""Changes: the warehouse's price-change log with filters, the biggest movers, and sources that disagree."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from tokentide.app import state, tables, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import change_events, freshness, scoped_analyses
from tokentide.reporting.scope import TRACE_COLUMNS

ctx = state.context()
scope = ctx.scope
ui.header(
    "Price changes",
    "Every price cut and rise the sources recorded, one row per model and day; choose *all* to add new "
    "listings (with their launch price) and delistings.",
    scope,
)
options = ui.options_row(("dir", "min", "since"))
if scope.is_empty:
    ui.empty_state(scope)
else:
    chosen: dict[str, Any] = {"direction": options["dir"], "min_pct": float(options["min"]), "since": options["since"]}
    events = scoped_analyses.change_events(scope, **chosen)
    counts = change_events.event_counts(events)
    cols = st.columns(4)
    cols[0].metric("Events", f"{counts['events']:,}")
    cols[1].metric("Cuts", f"{counts['cuts']:,}")
    cols[2].metric("Rises", f"{counts['rises']:,}")
    cols[3].metric("New, relisted or delisted", f"{counts['listings']:,}")
    past = freshness.past_data_note(options["since"], scope.moment) if options["since"] else None
    shown = events[~events["is_alias"].to_numpy(dtype=bool)]
    if past:
        ui.not_enough(past)
    elif shown.empty:
        end = freshness.day_text(scope.moment)
        ui.not_enough(f"No changes match (the data end on {end}): widen the direction, threshold or date.")
    else:
        if counts["aliases"]:
            st.caption(
                f"{counts['aliases']:,} events of moving aliases (ids ending in -latest) are left out: they follow "
                "the model the alias points to."
            )
        config = {
            "first_seen_at": st.column_config.DatetimeColumn("first seen (UTC)", format="YYYY-MM-DD"),
            "model_name": st.column_config.TextColumn("model", pinned=True),
            "what": st.column_config.TextColumn("what changed", width="large"),
            "change": "kind",
            "change_pct": st.column_config.NumberColumn("change %", format="%+.0f%%", help="input price, else output"),
            "author": "maker",
            "model_ids": "ids",
        }
        order = ["first_seen_at", "model_name", "change", "what", "change_pct", "provider", "author", "sources",
                 "model_ids", *TRACE_COLUMNS]  # fmt: skip
        first = scoped_analyses.first_rows(scope, ("events", *chosen.values()), shown, tables.MAX_TABLE_ROWS)
        tables.selectable(first, "changes_table", scope, config, order=order, height=420)
        tables.more_rows_note(shown, first, "events", "changes.csv")
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
