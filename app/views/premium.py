"""Reasoning premium: per token and per task, matched pairs, within-tier ratios and the trend."""

from __future__ import annotations

import streamlit as st

from tokentide.analytics.premium import TOKENS_PER_TASK_SOURCE
from tokentide.app import state, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import chartbook, overview_notes, scoped_analyses
from tokentide.reporting import formatting as fmt

ctx = state.context()
scope = ctx.scope
ui.header(
    "Reasoning premium",
    "How much more a reasoning model costs than a comparable non-reasoning one, per token and per task.",
    scope,
)
if scope.is_empty:
    ui.empty_state(scope)
else:
    pair, group = scoped_analyses.pair_premium(scope), scoped_analyses.group_premium(scope)
    multiplier = float(state.option("mult"))
    task = scoped_analyses.per_task(scope, multiplier)
    cols = st.columns(3)
    with cols[0].container(border=True):
        ok = pair is not None and pair.ok
        st.metric("Per token: matched pairs", fmt.ratio(pair.ratio) if ok else "—")
        st.caption(
            overview_notes.premium_caption(pair, f"{pair.n_pairs} pairs from {pair.n_bases} base models")
            if ok
            else f"{pair.reason if pair is not None else 'no pairs'}"
        )
    with cols[1].container(border=True):
        st.metric("Per token: within tier", fmt.ratio(group.ratio) if group.ok else "—")
        st.caption(
            f"{fmt.interval(group.ci_low, group.ci_high)} · median over {group.n_groups} tier-years"
            if group.ok
            else str(group.reason)
        )
    with cols[2].container(border=True):
        st.metric(f"Per task (× {multiplier:g} tokens)", fmt.ratio(task.per_task_ratio) if task else "—")
        st.caption(fmt.interval(task.ci_low, task.ci_high) if task else "needs a per-token premium first")
    st.caption(
        f"Tokens-per-task multiplier default: {TOKENS_PER_TASK_SOURCE}. The per-task figure scales the "
        "per-token premium; the multiplier's own uncertainty is not in its interval."
    )

    st.markdown("#### Matched pairs")
    ui.chart_panel("premium-pairs", scope, height=560)
    pairs = chartbook.pair_table(scope)
    if len(pairs):
        st.dataframe(
            arrow_of(pairs),
            hide_index=True,
            key="pairs_table",
            column_order=[
                "reasoning_model_id",
                "base_model_id",
                "author",
                "relation",
                "compared_at",
                "reasoning_usd_per_mtok",
                "base_usd_per_mtok",
                "ratio",
                "status",
                "source_url",
            ],
            column_config={
                "reasoning_usd_per_mtok": st.column_config.NumberColumn("reasoning $/Mtok", format="$%.4g"),
                "base_usd_per_mtok": st.column_config.NumberColumn("base $/Mtok", format="$%.4g"),
                "ratio": st.column_config.NumberColumn("ratio", format="%.2f×"),
                "compared_at": st.column_config.DatetimeColumn("priced at", format="YYYY-MM-DD"),
                "source_url": st.column_config.LinkColumn("pair source"),
            },
        )

    st.markdown("#### Within tier, by release period")
    st.dataframe(
        arrow_of(group.groups),
        hide_index=True,
        key="groups_table",
        column_config={
            "median_reasoning_usd_per_mtok": st.column_config.NumberColumn("median reasoning $/Mtok", format="$%.4g"),
            "median_base_usd_per_mtok": st.column_config.NumberColumn("median non-reasoning $/Mtok", format="$%.4g"),
            "ratio": st.column_config.NumberColumn("ratio", format="%.2f×"),
        },
    )
    st.markdown("#### Trend")
    period = state.option("period")
    ui.chart_panel("premium-trend", scope, {"period": period}, height=460)
