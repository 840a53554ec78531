"""The Methodology page's calibration section: the table `make calibrate` wrote, never hard-coded figures."""

from __future__ import annotations

import streamlit as st

from tokentide.analytics.cluster_inference import CI_METHOD_TEXT, MIN_CLUSTERS
from tokentide.analytics.halflife import DEFAULT_CI_METHOD
from tokentide.reporting.calibration_run import packaged_tables


def calibration_section() -> None:
    st.markdown("#### Are the intervals honest? Calibration on planted truth")
    st.markdown(
        f"Half-life intervals use **{DEFAULT_CI_METHOD}**: {CI_METHOD_TEXT[DEFAULT_CI_METHOD]}. Prices cluster by "
        "maker, so intervals that treat models as independent are too narrow. The method was chosen by simulation: "
        "prices planted on the real release dates and makers of the curated table, with maker effects, "
        "short-lived makers and thin periods; the table shows how often each method's 95 % interval covered the "
        f"planted truth. With fewer than {MIN_CLUSTERS} makers tokentide shows no interval and says so. "
        "Price-band tiers select on the price they then model: their coverage falls short (shown, not fixed)."
    )
    tables = packaged_tables()
    if tables is None:
        st.info("No calibration table in this installation: run `make calibrate` to produce it.")
        return
    coverage, chow = tables
    seeds = int(coverage["seeds"].iloc[0]) if "seeds" in coverage.columns else None
    st.caption(f"From the last `make calibrate` run ({seeds} seeds per design); full text in docs/calibration.md.")
    shown = coverage.assign(default=coverage["method"] == DEFAULT_CI_METHOD)
    st.dataframe(
        shown,
        hide_index=True,
        key="calibration_coverage",
        column_order=["design", "scope", "method", "default", "n_fits", "thin_share", "coverage", "coverage_se",
                      "median_half_life_rel_error"],
        column_config={
            "coverage": st.column_config.NumberColumn("95% CI coverage", format="percent"),
            "coverage_se": st.column_config.NumberColumn("binomial SE", format="percent"),
            "thin_share": st.column_config.NumberColumn("thin (no interval)", format="percent"),
            "median_half_life_rel_error": st.column_config.NumberColumn("median rel. error", format="percent"),
        },
    )  # fmt: skip
    st.dataframe(
        chow,
        hide_index=True,
        key="calibration_chow",
        column_order=["design", "test", "n", "size"],
        column_config={"size": st.column_config.NumberColumn("size at nominal 5%", format="percent")},
    )
