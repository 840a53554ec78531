"""Methodology sections on the tier rules: the learned rule's grouped-CV evidence and the price-band rule's bias."""

from __future__ import annotations

import streamlit as st

from tokentide.analytics.price_band_bias import DESIGN_TEXT, BandBias
from tokentide.analytics.tier_model import CV_DESCRIPTION, ESTIMATOR
from tokentide.analytics.tier_model_json import default_decision
from tokentide.analytics.tiers import DEFAULT_TIER_RULE
from tokentide.reporting import tier_checks
from tokentide.reporting.scope import Scope

BIAS_TTL_S: int = 24 * 3600


@st.cache_data(ttl=BIAS_TTL_S, max_entries=1, show_spinner="Simulating the price-band rule…")
def _bias() -> tuple[BandBias, ...]:
    return tier_checks.default_price_band_bias()


def learned_rule_section(scope: Scope) -> None:
    st.markdown("#### The learned tier rule")
    model = scope.tier_model
    if model is None or not model.ok:
        st.info(f"The learned rule could not be fitted here: {model.reason if model else 'no models'}.")
        return
    st.markdown(
        f"Estimator: {ESTIMATOR}. Checked by {CV_DESCRIPTION}. On the {model.n_labelled} curated models of "
        f"{model.n_makers} makers: **maker-grouped CV accuracy {model.cv_accuracy:.1%}** (always guessing the "
        f"commonest tier scores {model.baseline_accuracy:.1%}); grouped by family instead, so that other lines of "
        f"the same maker are seen, {model.cv_accuracy_by_family:.1%}. "
        f"Decision: {default_decision(model, DEFAULT_TIER_RULE)}."
    )
    left, right = st.columns(2)
    left.caption("Confusion matrix (out-of-fold, grouped by maker)")
    left.dataframe(tier_checks.confusion_frame(model), hide_index=True, key="tier_confusion")
    right.caption("Dated, paid models in this view per tier: curated labels only vs the learned rule")
    right.dataframe(tier_checks.tier_coverage(scope.launch, model), hide_index=True, key="tier_coverage")


def price_band_section() -> None:
    st.markdown("#### The price-band rule (the paper's rule) selects on price")
    st.markdown(
        "Price-band tiers are launch-price terciles, so a model's tier is chosen by the price the tier's trend "
        f"then models: cheap outliers land in economy, dear ones in flagship. {DESIGN_TEXT}"
    )
    st.dataframe(
        tier_checks.bias_frame(_bias()),
        hide_index=True,
        key="price_band_bias",
        column_config={
            "misplaced (mean)": st.column_config.NumberColumn(format="percent"),
            "left unplaced (mean)": st.column_config.NumberColumn(format="percent"),
        },
    )
    st.caption(
        "Coverage of the half-life CIs under each tier rule comes from the calibration suite (`make calibrate`), "
        f"which writes its table to {tier_checks.CALIBRATION_DOC}."
    )


def tier_rule_sections(scope: Scope) -> None:
    """Both sections, in the order the Methodology page shows them."""
    learned_rule_section(scope)
    price_band_section()
