"""Tables with provenance: every row carries its source, URL, capture time and snapshot hash; select to trace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import streamlit as st

from tokentide.app import ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import scoped_analyses
from tokentide.reporting.scope import Scope

# A table is serialised to the browser on every rerun; past this many rows the rest is offered as a CSV.
MAX_TABLE_ROWS: int = 1000


def provenance_columns() -> dict[str, object]:
    return {
        "source": st.column_config.TextColumn("source", help="Where this price was read"),
        "source_url": st.column_config.LinkColumn("source URL", help="Where it was published"),
        "captured_at": st.column_config.DatetimeColumn("captured at (UTC)", format="YYYY-MM-DD HH:mm"),
        "sha256": st.column_config.TextColumn("raw snapshot sha256", help="Hash of the raw payload kept verbatim"),
        "interval_id": st.column_config.NumberColumn("interval", format="%d"),
        "valid_from": st.column_config.DatetimeColumn("valid from (UTC)", format="YYYY-MM-DD"),
        "valid_to": st.column_config.DatetimeColumn("valid to (UTC)", format="YYYY-MM-DD", help="empty = current"),
    }


def selectable(
    frame: pd.DataFrame,
    key: str,
    scope: Scope,
    config: Mapping[str, object],
    *,
    order: list[str] | None = None,
    height: int | Literal["auto"] = "auto",
) -> None:
    """A sortable table; selecting a row opens its provenance (rows need interval_id)."""
    columns: dict[str, Any] = {**provenance_columns(), **config}
    if isinstance(height, int):  # a short table gets a short frame
        height = min(height, 38 + 35 * max(len(frame), 1))
    event = st.dataframe(
        arrow_of(frame),
        key=key,
        hide_index=True,
        column_config=columns,
        column_order=order,
        height=height,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows and "interval_id" in frame.columns:
        value = frame.iloc[rows[0]]["interval_id"]
        if pd.notna(value):
            ui.provenance_panel(scope, int(value))
    else:
        st.caption("Select a row to see its full provenance.")


def launch_table(scope: Scope) -> None:
    launch = scoped_analyses.launch_display(scope)
    order = [
        "model_name",
        "author",
        "assigned_tier",
        "release_date",
        "usd_per_mtok",
        "state",
        "price_provider",
        "n_providers",
        "source",
        "source_url",
        "captured_at",
        "sha256",
        "interval_id",
    ]
    config = {
        "usd_per_mtok": st.column_config.NumberColumn("launch price (blended, $/Mtok)", format="$%.4g"),
        "release_date": st.column_config.DatetimeColumn("released", format="YYYY-MM-DD"),
        "assigned_tier": "tier",
        "price_provider": "priced at",
    }
    shown = scoped_analyses.first_rows(scope, ("launch",), launch, MAX_TABLE_ROWS)
    selectable(shown, "launch_table", scope, config, order=order, height=420)
    more_rows_note(launch, shown, "models", "launch-prices.csv")


def price_columns() -> dict[str, object]:
    return {
        "usd_per_mtok_input": st.column_config.NumberColumn("input $/Mtok", format="$%.4g"),
        "usd_per_mtok_output": st.column_config.NumberColumn("output $/Mtok", format="$%.4g"),
        "usd_per_mtok_cache_read": st.column_config.NumberColumn("cached input $/Mtok", format="$%.4g"),
        "usd_per_mtok_reasoning": st.column_config.NumberColumn("reasoning $/Mtok", format="$%.4g"),
        "blended_usd_per_mtok": st.column_config.NumberColumn("blended $/Mtok", format="$%.4g"),
        "state": st.column_config.TextColumn(
            "price state", help="FREE (0) = the source says 0; unknown = not published"
        ),
        "assigned_tier": "tier",
        "release_date": st.column_config.DatetimeColumn("released", format="YYYY-MM-DD"),
    }


def more_rows_note(full: pd.DataFrame, shown: pd.DataFrame, what: str, file_name: str) -> None:
    """When a table was cut, say so and offer every row as CSV (built only when clicked)."""
    if len(shown) >= len(full):
        return
    left, right = st.columns([3, 1])
    left.caption(f"Showing the first {len(shown):,} of {len(full):,} {what}; narrow the filters, or download them all.")
    right.download_button(
        f"All {len(full):,} {what} (CSV)",
        data=lambda: full.to_csv(index=False).encode("utf-8"),
        file_name=file_name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"all_{file_name}",
    )
