"""Overview: the headline numbers, each linking to the page that explains it."""

from __future__ import annotations

import streamlit as st

from tokentide.analytics.pairs import PairPremium
from tokentide.analytics.tier_names import TIERS
from tokentide.app import coverage_panel, state, ui
from tokentide.reporting import formatting as fmt
from tokentide.reporting import market_view, overview_notes, scoped_analyses
from tokentide.reporting.freshness import window_label

ctx = state.context()
scope = ctx.scope
ui.header(
    "LLM token prices at a glance", "Headline figures for the models in view; each card links to its page.", scope
)

coverage_panel.history_hint(ctx.dataset.db_path, ctx.dataset.version)
if scope.is_empty:
    ui.empty_state(scope)
else:
    fits = scoped_analyses.fits(scope)
    st.markdown("#### Price half-life by tier")
    for column, tier in zip(st.columns(3), TIERS, strict=True):
        headline, detail = fmt.fit_card(fits[tier])
        if scope.filters.tiers and tier not in scope.filters.tiers:
            headline, detail = "—", "not in view: the tier filter leaves it out"
        with column.container(border=True):
            st.metric(f"{tier.capitalize()} tier", headline, help="Years for the fitted launch price to halve (OLS)")
            st.caption(f"{detail} · {fits[tier].estimator}")
            st.page_link("views/half_life.py", label="Half-life", icon=":material/arrow_forward:")

    st.markdown("#### Market")
    premium = scoped_analyses.reasoning_premium(scope)
    hhi = scoped_analyses.market(scope, basis="models-by-author", period="year")
    numbers = scoped_analyses.overview_numbers(scope)
    cards = st.columns(4)
    with cards[0].container(border=True):
        # pairs when usable, else the within-tier ratio
        if isinstance(premium, PairPremium):
            how = f"{premium.n_pairs} matched pairs"
        else:
            how = f"median of {premium.n_groups} tier-years"
        st.metric("Reasoning premium per token", fmt.ratio(premium.ratio if premium.ok else None))
        st.caption(overview_notes.premium_caption(premium, how))
        st.page_link("views/premium.py", label="Reasoning premium", icon=":material/arrow_forward:")
    with cards[1].container(border=True):
        top = market_view.headline(market_view.annotated_series(hhi, "year", scope.moment)).row
        st.metric(f"HHI {'' if top is None else top['period']}".strip(), "—" if top is None else f"{top['hhi']:,.0f}")
        st.caption(
            "no full period with enough makers"
            if top is None
            else f"{fmt.hhi_band(top['hhi'])}; {int(top['n_items'])} models by {int(top['n_makers'])} makers released"
        )
        st.page_link("views/concentration.py", label="Concentration", icon=":material/arrow_forward:")
    with cards[2].container(border=True):
        st.metric("Models and providers", f"{numbers['n_models']:,} · {numbers['n_providers']:,}")
        st.caption(
            f"{numbers['n_priced']:,} models with a paid launch price; {scope.n_models_total:,} models in the warehouse"
        )
        st.page_link("views/models.py", label="Models & prices", icon=":material/arrow_forward:")
    with cards[3].container(border=True):
        st.metric(f"Price changes, {window_label(scope.moment, 7)}", f"{numbers['n_changes']:,}")
        latest = numbers["latest"]
        last = f"latest change {latest:%Y-%m-%d}" if latest is not None else "no changes recorded"
        end = "the as-of date" if scope.filters.as_of else "where the data end"
        st.caption(f"{numbers['since']:%Y-%m-%d} to {scope.moment:%Y-%m-%d} ({end}); {last}")
        st.page_link("views/changes.py", label="Changes", icon=":material/arrow_forward:")

    st.markdown("#### Launch prices and tier frontiers")
    ui.chart_panel("price-curves", scope, height=600)
