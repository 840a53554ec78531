"""Models & prices: today's price per model (providers folded), a cost calculator, and price histories."""

from __future__ import annotations

import streamlit as st

from tokentide.app import model_tables, state, tables, ui
from tokentide.reporting import model_rows, scoped_analyses
from tokentide.reporting.filters import blend_label

ctx = state.context()
scope = ctx.scope
ui.header(
    "Models & prices",
    "Today's list price of each model (as of the data's end), in USD per million tokens: one row per model, "
    "its providers, regions and sources folded into it.",
    scope,
)
if scope.is_empty:
    ui.empty_state(scope)
else:
    options = ui.options_row(("q", "gen"))
    rows = model_rows.model_rows(scope)
    shown = scope.memo(
        ("visible_models", options["gen"], options["q"]),
        lambda: model_rows.visible_rows(rows, include_superseded=options["gen"] == "all", query=options["q"]),
    )
    counts = scoped_analyses.state_counts(scope, ("visible_models", options["gen"], options["q"]), shown)
    cols = st.columns(4)
    cols[0].metric("Models listed", f"{len(shown):,}")
    cols[1].metric("Superseded (hidden)" if options["gen"] == "current" else "Superseded",
                   f"{int((rows['status'] == model_rows.SUPERSEDED).sum()):,}")  # fmt: skip
    cols[2].metric("Paid · free", f"{int(counts.get('paid', 0)):,} · {int(counts.get('free', 0)):,}")
    cols[3].metric("Unknown price", f"{int(counts.get('unknown', 0)):,}")
    if shown.empty:
        ui.not_enough(f"No model name or id contains “{options['q']}” among these models.")
    else:
        st.caption(
            f"Blended = {blend_label(scope.filters.weights)}; a model on several providers shows its maker's own "
            f"price ({scope.filters.pick}; change it with **Provider price** in the sidebar) and the range across "
            "providers. An unknown price is greyed out and never counted as zero. Superseded = its "
            "maker has released a newer model in the same tier. Select a row for every provider and region."
        )
        model_tables.model_table(scope, shown)
        tables.more_rows_note(shown, shown.head(tables.MAX_TABLE_ROWS), "models", "models.csv")
        model_tables.cost_calculator(scope, shown, ("visible_models", options["gen"], options["q"]))

    st.markdown("#### Compare price histories")
    names = model_rows.display_names(scope)
    models = state.option("models", choices=list(names), labels=names)
    if not models:
        st.caption("Choose up to 8 models above (type a name) to draw their prices over time, one line per provider.")
    else:
        ui.chart_panel("price-history", scope, {"models": models}, height=520)
