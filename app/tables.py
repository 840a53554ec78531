"""Tables with provenance: every row carries its source, URL, capture time and snapshot hash; select to trace."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from tokentide.app import ui
from tokentide.app.scope import Scope

STATE_LABELS: dict[str, str] = {"paid": "paid", "free": "FREE (0)", "unknown": "unknown"}
USD = st.column_config.NumberColumn(format="$%.4g")


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
    height: int | str = "auto",
) -> None:
    """A sortable table; selecting a row opens its provenance (rows need interval_id)."""
    columns = {**provenance_columns(), **config}
    event = st.dataframe(
        frame,
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
    launch = scope.launch.sort_values("release_date", ascending=False)
    launch = launch.assign(state=launch["price_state"].map(STATE_LABELS))
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
    selectable(launch, "launch_table", scope, config, order=order, height=420)


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
