"""The US vs China panel: median prices per tier with n, the test and its p, and shares side by side."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from tokentide.analytics.country import TEST_NAME
from tokentide.app import ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import scoped_analyses, us_china
from tokentide.reporting.scope import Scope


def us_vs_china(scope: Scope, options: Mapping[str, str], usage: pd.DataFrame | None) -> None:
    if scope.is_empty:
        ui.empty_state(scope)
        return
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**Median blended launch price, USD per million tokens**")
        prices = us_china.price_gap_table(scope)
        st.dataframe(
            arrow_of(prices),
            hide_index=True,
            key="us_china_prices",
            column_order=[
                "tier",
                "median_us_usd_per_mtok",
                "n_us",
                "median_cn_usd_per_mtok",
                "n_cn",
                "ratio_us_to_cn",
                "p_value",
                "verdict",
            ],  # fmt: skip
            column_config={
                "median_us_usd_per_mtok": st.column_config.NumberColumn("US median", format="$%.3g"),
                "n_us": st.column_config.NumberColumn("n US"),
                "median_cn_usd_per_mtok": st.column_config.NumberColumn("China median", format="$%.3g"),
                "n_cn": st.column_config.NumberColumn("n China"),
                "ratio_us_to_cn": st.column_config.NumberColumn("US ÷ China", format="%.2f×"),
                "p_value": st.column_config.NumberColumn("p", format="%.3f"),
            },
        )
        st.caption(
            f"Paid launch prices of models by US- and China-headquartered makers, within each tier; {TEST_NAME}. "
            f"No test with fewer than {us_china.MIN_PER_SIDE} prices a side. Pooled over tiers the gap also "
            "reflects each country's tier mix."
        )
    with right:
        basis, period = options["basis"], options["period"]
        countries = scoped_analyses.countries(scope, basis=basis, period=period, usage=usage)
        key = ("us_china_shares", basis, period, scoped_analyses.frame_key(usage))
        shares = scope.memo(key, lambda: us_china.share_table(countries))
        st.markdown("**Shares side by side (%)**")
        st.dataframe(
            arrow_of(shares),
            hide_index=True,
            key="us_china_shares",
            column_config={
                "share_us_pct": st.column_config.NumberColumn("US %", format="%.1f"),
                "n_us": "n US",
                "share_cn_pct": st.column_config.NumberColumn("China %", format="%.1f"),
                "n_cn": "n China",
                "n_all": "n all",
            },
        )
        st.caption("Same basis and period as above; the rest of each period is other or unknown countries.")
