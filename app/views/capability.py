"""Price of capability: the cheapest model at or above a benchmark threshold over time, and Epoch's table."""

from __future__ import annotations

import streamlit as st

from tokentide.analytics.capability_points import benchmarks_in
from tokentide.app import state, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import capability as capability_module
from tokentide.reporting import formatting as fmt
from tokentide.reporting.capability_options import CAPABILITY_OPTION_KEYS
from tokentide.reporting.capability_tables import qualifying_table, replication_table
from tokentide.reporting.charts_capability import request_from

ctx = state.context()
scope = ctx.scope
ui.header(
    "Price of capability",
    "What a fixed level of capability costs over time: per benchmark, the cheapest model scoring at or above a "
    "threshold, the models that set each new low, and the fitted fall per year with its 90% CI.",
    scope,
)
benchmarks = benchmarks_in(scope.scores)


def _page(benchmarks: list[str]) -> None:
    bench_col, threshold_col = st.columns(2)
    benchmark = state.option("bench", where=bench_col, choices=benchmarks)
    asked = st.query_params.get("threshold", "")
    offered = capability_module.threshold_choices(scope.scores, benchmark, asked) or ["score:50"]
    options = {"bench": benchmark, "threshold": state.option("threshold", where=threshold_col, choices=offered)}
    with st.expander("Method (Epoch AI's choices are the defaults)"):
        options |= ui.options_row(CAPABILITY_OPTION_KEYS[2:5])
        options |= ui.options_row(CAPABILITY_OPTION_KEYS[5:])
    request = capability_module.default_request(scope, request_from(options))
    result = capability_module.trend(scope, request)

    cols = st.columns(3)
    fit = result.fit if result else None
    with cols[0].container(border=True):
        st.metric("Price falls per year", fmt.ratio(fit.factor_per_year) if fit else "—")
        st.caption(capability_module.ci_text(fit) if fit else "no interval: too few new lows")
    with cols[1].container(border=True):
        st.metric("Models in the fit", str(result.n_fitted) if result else "—")
        st.caption(f"{len(result.qualifying)} qualifying models" if result else "")
    with cols[2].container(border=True):
        st.metric("Threshold", f"{result.threshold.score:g}" if result else "—")
        st.caption(result.threshold.label if result else "")
    if result is not None and result.thin_reason:
        ui.not_enough(f"Too thin to fit: {result.thin_reason}.")
    if result is not None:
        st.caption(f"{result.method.describe()} {fit.estimator if fit else ''}".strip())
    if result is not None and result.method.ci == "ols-t" and result.method.entry == "new-lows":
        st.caption(
            "In calibration on simulated markets this t interval is too narrow for a fit through new lows, which "
            "are selected extremes (docs/capability.md); *Interval: selection-bootstrap* under Method holds its level."
        )

    ui.chart_panel("price-of-capability", scope, options, height=620)
    st.markdown("#### Qualifying models (✓ = set a new low)")
    lows = qualifying_table(result)
    st.dataframe(
        arrow_of(lows),
        hide_index=True,
        key="capability_lows",
        column_config={
            "new_low": st.column_config.CheckboxColumn("new low"),
            "usd_per_mtok_blended": st.column_config.NumberColumn("$/Mtok (3:1)", format="$%.4g"),
            "date": st.column_config.DatetimeColumn("date", format="YYYY-MM-DD"),
            "captured_at": st.column_config.DatetimeColumn("captured", format="YYYY-MM-DD HH:mm"),
            "source_url": st.column_config.LinkColumn("source"),
        },
    )
    st.caption(f"Scores: {capability_module.attribution(scope.scores)}.")

    inputs, live = capability_module.replication_from_inputs(), capability_module.replication_live(scope)
    st.markdown(f"#### Epoch AI's {len(inputs.rows)} published trends, replicated")
    st.markdown(f"**{inputs.summary()}**; **{live.summary()}**.")
    st.dataframe(arrow_of(replication_table(inputs, live)), hide_index=True, key="capability_replication")
    st.caption(
        "From Epoch's inputs, each threshold model's own score and release set the threshold; on the live warehouse "
        "Epoch's threshold score and start date are kept and the prices are tokentide's price intervals, so the "
        "difference shows how the trend moved since Epoch's cut-off (March 2025). `comparable` = same threshold and "
        "method, and enough new lows to fit."
    )


if scope.is_empty or not benchmarks:
    ui.empty_state(scope, "models" if scope.is_empty else "benchmark scores")
else:
    _page(benchmarks)
