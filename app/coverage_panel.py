"""Coverage on the Methodology page and the thin-history hint (with a background backfill) on the Overview."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from tokentide.reporting import background_backfill
from tokentide.reporting.coverage import BACKFILL_ESTIMATE_MB, BACKFILL_HINT, Coverage, coverage
from tokentide.reporting.release_dates import release_date_summary
from tokentide.warehouse.connection import reader

TTL_S = 3600


@st.cache_data(ttl=TTL_S, max_entries=4, show_spinner="Measuring coverage…")
def _coverage(db: str, version: str) -> tuple[Coverage, dict]:
    with reader(Path(db)) as conn:
        return coverage(conn), release_date_summary(conn)


def coverage_section(db: Path, version: str) -> None:
    """Per source models, dated share and history span; per year paid launch prices and makers per tier;
    how release dates were chosen, how good first-seen estimates are, and the conflicts."""
    cover, dates = _coverage(str(db), version)
    st.markdown("#### Coverage")
    st.dataframe(cover.sources, hide_index=True, key="coverage_sources_table")
    years = cover.years.pivot_table(index="year", columns="tier", values="paid_launch_prices", fill_value=0)
    thin = cover.years[cover.years["thin"]]
    st.dataframe(years, key="coverage_years_table")
    st.caption(
        f"Paid launch prices per release year and tier (rule {cover.tier_rule}). Cells with fewer than "
        f"{cover.thin_launches} prices rest on thin data: {len(thin)} of {len(cover.years)} cells here."
    )
    st.markdown("#### Release dates")
    bases = ", ".join(f"{n:,} {basis}" for basis, n in dates["dated_by_basis"].items())
    st.markdown(
        f"{dates['models_dated']:,} of {dates['models_priced']:,} priced models have a release date ({bases}). "
        "Order of trust: curated table, Epoch AI publication date, OpenRouter `created`, models.dev `release_date`, "
        "then the first time a price list listed the model (an estimate, used only when an earlier snapshot of "
        f"that list, at most {dates['first_seen_max_bracket_days']} days before, did not list it)."
    )
    lag = dates["first_seen_lag"]
    if lag["ok"]:
        st.caption(
            f"First seen vs curated/Epoch dates on {lag['n']} models: median lag {lag['median_lag_days']:.0f} days, "
            f"{lag['share_within_14_days']:.0%} within 14 days, {lag['share_within_30_days']:.0%} within 30. "
            f"Estimator: {lag['estimator']}."
        )
    else:
        st.caption(f"First-seen lag: too thin to say ({lag['reason']}).")
    st.markdown(
        f"{dates['conflicts']} candidate dates are more than {dates['conflict_days']} days from the chosen one."
    )
    if dates["conflict_rows"]:
        st.dataframe(pd.DataFrame(dates["conflict_rows"]), hide_index=True, key="date_conflicts_table")


def history_hint(db: Path, version: str) -> None:
    """When few launch prices are dated, say how to load LiteLLM's history, and offer to start it."""
    cover, _ = _coverage(str(db), version)
    job = background_backfill.status(db)
    if not cover.history_is_thin and not job.running:
        return
    with st.container(border=True):
        if job.running:
            st.info(f"Loading LiteLLM's price history in the background: {job.last_line or 'starting…'}")
            st.button("Refresh progress", key="backfill_refresh")
            return
        st.markdown(
            f"History is thin here: {cover.dated_paid_launches:,} dated paid launch prices. "
            f"`{BACKFILL_HINT}` loads LiteLLM's price map from every weekly release on PyPI since 2023 "
            f"(about {BACKFILL_ESTIMATE_MB} MB by range requests; the package is read as data, never installed)."
        )
        if job.last_line:
            st.caption(f"Last background backfill: {job.last_line}")
        if st.button("Load the history in the background", key="backfill_start"):
            background_backfill.start(db)
            st.rerun()
