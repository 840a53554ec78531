"""Methodology page panel: where benchmark scores exist, how far the capability tier rule reaches."""

from __future__ import annotations

import streamlit as st

from tokentide.analytics.capability_tiers import attach_capability_scores, capability_band, coverage
from tokentide.analytics.curves import launch_prices
from tokentide.analytics.prices import MODEL_KEY
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting.capability import attribution, score_match
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.scope import Scope


def _coverage(scope: Scope, data: Dataset) -> dict[str, object]:
    def compute() -> dict[str, object]:
        models = attach_capability_scores(launch_prices(data.intervals), data.scores)
        placed = capability_band(models)["tier"]
        return coverage(models, placed.set_axis(models[MODEL_KEY].to_numpy()))

    return scope.memo(("capability-coverage",), compute)


def render(scope: Scope, data: Dataset) -> None:
    st.markdown("#### Capability tier rule: coverage")
    if data.scores.empty:
        st.caption("No benchmark scores are loaded, so the capability rule places no model.")
        return
    c = _coverage(scope, data)
    share = f"{c['n_placed']} of {c['n_models']} models"
    agree = f"{c['n_agree_with_maker_tier']} of {c['n_with_maker_tier']}"
    st.markdown(
        f"The **capability** rule bands {c['benchmark']} scores: it can place {share} (those with a score, in a "
        f"year with at least 3 scored models; {c['n_scored']} models have a score). Where a model also has a "
        f"maker tier, the two agree for {agree}. Unlike price-band it never looks at the price. Scores: "
        f"{attribution(data.scores)}."
    )
    match = scope.memo(("capability-score-match",), lambda: score_match(data.scores, data.intervals))
    st.markdown(
        f"**Matching scores to prices.** {match.n_matched} of {match.n_scored} scored models match a priced model "
        "(by the alias table `warehouse/reference/benchmark_aliases.csv`, else the id normaliser). For the "
        "others, the alias suggester's nearest priced id — for review only, nothing is merged; add accepted "
        "ones to the alias table:"
    )
    if len(match.suggestions):
        st.dataframe(arrow_of(match.suggestions), hide_index=True, key="capability_alias_suggestions")
