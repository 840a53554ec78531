"""Concentration: HHI and CR4 over time with the Merger Guidelines bands, shares by author, US / China / other."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokentide.analytics.concentration import USAGE_MEASURES
from tokentide.app import country_panel, state, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import formatting as fmt
from tokentide.reporting import market_view, scoped_analyses

ctx = state.context()
scope = ctx.scope
ui.header(
    "Market concentration",
    "Herfindahl-Hirschman index (0-10,000) and four-firm share per period, on the share basis you choose.",
    scope,
)
options = ui.options_row(("basis",))  # on its own row: four bases, none cut off
options |= ui.options_row(("period", "cpanel"))
st.caption(f"**What is counted:** {ui.md(market_view.plain_basis(options['basis']))}.")
usage = None
with st.expander("Use your own usage numbers (tokens or spend per firm)", expanded=options["basis"] == "usage"):
    st.markdown(
        "A CSV with columns `period` (e.g. `2025-01` or `2025Q1`), `author` or `provider`, and `tokens` and/or "
        "`spend_usd`; an optional `country` (ISO code) feeds the US / China split. OpenRouter's public rankings "
        "give such numbers. Choose the **usage** basis above to use it."
    )
    upload = st.file_uploader("Usage CSV", type=["csv"], key="usage_csv")
    measure = st.segmented_control("Measure", USAGE_MEASURES, default="tokens", key="usage_measure") or "tokens"
    if upload is not None:
        try:
            usage = pd.read_csv(upload, nrows=200_000)
            if measure != "tokens" and measure in usage.columns:
                usage = usage.assign(tokens=usage[measure])
        except (ValueError, UnicodeDecodeError) as exc:
            st.error(f"Could not read that file: {ui.md(exc)}")

if options["basis"] == "usage" and usage is None:
    ui.not_enough("The usage basis needs a usage CSV: load one above (a link cannot carry the file).")
elif scope.is_empty and options["basis"] != "usage":
    ui.empty_state(scope)
else:
    try:
        result = scoped_analyses.market(scope, basis=options["basis"], period=options["period"], usage=usage)
    except ValueError as exc:  # a usage file that does not follow the documented columns
        st.error(ui.md(exc))
        st.stop()
    series = market_view.scoped_series(scope, result, options["period"], scoped_analyses.frame_key(usage))
    st.info(f"**Market definition.** {ui.md(result.market_definition)}", icon=":material/straighten:")
    top = market_view.headline(series)
    if top.row is not None:
        last, change = top.row, top.change
        cols = st.columns(4)
        cols[0].metric(
            f"HHI {last['period']}",
            f"{last['hhi']:,.0f}",
            delta=None if change is None or top.previous is None else f"{change:+,.0f} vs {top.previous['period']}",
            delta_color="inverse",
        )
        cols[1].metric("CR4", f"{last['cr4']:.1f}%")
        cols[2].metric("Makers · models", f"{int(last['n_makers'])} · {int(last['n_items'])}")
        cols[3].metric("2023 Guidelines", "highly conc." if last["hhi"] > 1800 else "below 1,800",
                       help=fmt.hhi_band(last["hhi"]))  # fmt: skip
        later = f" Not in the headline: {'; '.join(top.skipped)}." if top.skipped else ""
        st.caption(
            f"Headline: the latest full period with at least {market_view.MIN_FIRMS} makers and "
            f"{market_view.MIN_ITEMS} {market_view.ITEM_WORD.get(options['basis'], 'items')}.{ui.md(later)} "
            "Bands: 2023 US Merger Guidelines (above 1,800 = highly concentrated)."
        )
    elif len(series):
        ui.not_enough("Every period is thin or partial here: no headline HHI. The table lists each period with n.")
    ui.chart_panel("concentration", scope, options, height=540, usage=usage)
    st.dataframe(
        arrow_of(series),
        hide_index=True,
        key="hhi_table",
        column_order=["period", "hhi", "cr4", "n_items", "n_makers", "thin", "partial", "change", "band_2023"],
        column_config={
            "hhi": st.column_config.NumberColumn("HHI", format="%.0f"),
            "cr4": st.column_config.NumberColumn("CR4 (%)", format="%.1f"),
            "n_items": st.column_config.NumberColumn("n", help="models (or endpoints) counted in the period"),
            "n_makers": st.column_config.NumberColumn("makers", help="firms with a share in the period"),
            "change": st.column_config.NumberColumn("change", format="%+.0f"),
            "band_2023": "2023 Guidelines",
        },
    )
    if options["cpanel"] == "shares by author":
        ui.chart_panel("shares", scope, options, height=520, usage=usage)
    else:
        ui.chart_panel("country-split", scope, options, height=460, usage=usage)
    st.markdown("#### US vs China")
    country_panel.us_vs_china(scope, options, usage)
