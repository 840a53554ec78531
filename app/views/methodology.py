"""Methodology & data: tier rules, blend, estimators, sources and licences, run log, quarantine, replication."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokentide.analytics.breaks import SCAN_CAVEAT
from tokentide.analytics.country import TEST_NAME
from tokentide.analytics.curves import DECLINE_DEFINITION, FRONTIER_DEFINITION
from tokentide.analytics.halflife import DEFAULT_CI_METHOD, MIN_DISTINCT_DATES, MIN_POINTS
from tokentide.analytics.premium import TOKENS_PER_TASK_SOURCE
from tokentide.analytics.replication import PAPER
from tokentide.analytics.tiers import DEFAULT_TIER_RULE, TIER_RULES
from tokentide.app import cache, capability_panel, coverage_panel, state, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.app.calibration_panel import calibration_section
from tokentide.app.tier_sections import tier_rule_sections
from tokentide.reporting import scoped_analyses
from tokentide.reporting.dataset import licence_of
from tokentide.reporting.filters import WEIGHT_PRESETS
from tokentide.reporting.market_view import DASHBOARD_RULES

ctx = state.context()
scope, data = ctx.scope, ctx.dataset
ui.header("Methodology & data", "How every number is made, where the data comes from, and how fresh it is.", scope)

st.markdown("#### Tier rules")
st.markdown(
    "The default rule is **positioning**: a model's tier is where its maker placed it (Haiku, Sonnet, Opus), "
    "which is what buyers compare. **learned** keeps it and places every other model from what is not its "
    "price (below). **price-band** — the paper's rule — picks tiers by the launch price it is then used to "
    "model, so it selects on price (its bias is measured below); it is never the default. Tiers are assigned "
    "to every model before the other filters apply, so a model's tier never depends on which provider or "
    "author you look at. Every chart names the rule it used."
)
rules = pd.DataFrame(
    [
        {"rule": r.label, "version": r.version, "default": r.name == DEFAULT_TIER_RULE, "description": r.description}
        for r in TIER_RULES.values()
    ]
)
st.dataframe(rules, hide_index=True, key="rules_table")
a = scope.assignment
reasons = ", ".join(f"{k}: {v}" for k, v in a.unassigned_reasons.items()) or "none"
st.caption(
    f"Under {a.rule} v{a.version}: {a.n_assigned} models placed, {a.n_unassigned} not placed ({ui.md(reasons)})."
)
if data.tier_overrides:
    st.caption(
        f"Your config's `[tiers.overrides]` set {len(data.tier_overrides)} model(s), applied after the rule: "
        + ui.md(", ".join(f"{m} → {t}" for m, t in sorted(data.tier_overrides.items())))
        + (f"; not found in the data: {ui.md(', '.join(a.unmatched_overrides))}" if a.unmatched_overrides else "")
    )
if data.config_problem:
    st.warning(f"The config file could not be read, so defaults are in use: {data.config_problem}")
tier_rule_sections(scope)

capability_panel.render(scope, data)

st.markdown("#### Blend and provider price")
st.markdown(
    "Prices are USD per million tokens. The **blended** price weights input and output tokens "
    f"(default 3:1, as Artificial Analysis and Epoch AI); presets: {', '.join(WEIGHT_PRESETS)}, or any custom "
    "weights. An unknown side makes the blend unknown (never zero); a free model (the source says 0) is shown "
    "as free and left out of log-scale fits. A model sold by several providers gets its maker's price, else the "
    "median across providers (or the cheapest, if chosen)."
)

st.markdown("#### Estimators")
st.markdown(
    f"- **Half-life**: ln(launch price) on release date by OLS (95% CI by maker-robust {DEFAULT_CI_METHOD}, "
    "see the calibration below; no interval with fewer than 6 makers) or Theil-Sen (Sen/Kendall CI); the "
    "frontier half-life is the q=0.1 quantile regression's, with a maker-bootstrap CI; half-life = ln 2 / "
    f"-slope in years. No fit with fewer than {MIN_POINTS} points or "
    f"{MIN_DISTINCT_DATES} distinct dates; *no significant decline* when the slope's CI reaches zero.\n"
    "- **Live estimate**: recomputed as of each month from the launches known then (fixed seed), so its "
    "history shows how new prices moved it; an optional rolling window keeps only recent launches.\n"
    f"- {FRONTIER_DEFINITION}\n- {DECLINE_DEFINITION}\n"
    "- **Reasoning premium**: matched pairs of one maker priced at a common date (geometric mean of pair ratios, "
    "median and arithmetic mean beside it; CI resamples base models; pairs flagged 'different sizes' left out), "
    "and the median within-tier ratio per release year; per task = per token × a tokens-per-task multiplier "
    f"(default from {TOKENS_PER_TASK_SOURCE}).\n"
    "- **Concentration**: HHI = sum of squared % shares (0-10,000), CR4 = the four largest shares; bands of the "
    "2023 US Merger Guidelines (above 1,800 highly concentrated; a change over 100 points flagged). Filters apply "
    "before shares are computed, and every figure states its basis.\n"
    "- **Structural break**: the headline is the scan over dates (sup of the maker-robust Wald statistic, p from "
    "a wild cluster restricted bootstrap by maker that repeats the search); at a date you fix, the same robust "
    f"test at that date. {SCAN_CAVEAT}\n"
    f"- **US vs China**: ratio of median blended launch prices by maker country; {TEST_NAME}.\n"
    f"- {DASHBOARD_RULES}"
)

calibration_section()

st.markdown("#### Sources and licences")
rows = [
    {
        "source": s.source,
        "licence": licence_of(s.source),
        "data as of": s.data_as_of,
        "last success": s.last_success_at,
        "last error": s.last_error,
        "snapshots": s.snapshots,
        "guarded": s.snapshots_guarded,
        "failed": s.snapshots_failed,
        "observations": s.observations,
        "current models": s.current_models,
        "quarantined rows": s.quarantined_rows,
    }
    for s in data.status.sources
]
st.dataframe(pd.DataFrame(rows), hide_index=True, key="sources_table")
st.caption(
    f"Warehouse {ui.md(data.status.db_path)} · schema v{data.status.schema_version} · "
    f"{data.status.db_bytes / 1e6:.1f} MB. The app reads a published read-only copy, so it never blocks a "
    "collector."
)

coverage_panel.coverage_section(data.db_path, data.version)

st.markdown("#### Run log")
runs_height = min(300, 38 + 35 * max(len(data.runs), 1))
st.dataframe(arrow_of(data.runs), hide_index=True, key="runs_table", height=runs_height)
st.markdown("#### Held back: quarantine and guarded snapshots")
left, right = st.columns(2)
left.dataframe(arrow_of(data.quarantine), hide_index=True, key="quarantine_table")
left.caption(
    "Rows quarantined per source and reason (negative, NaN or absurd prices); the rest of each snapshot loaded."
)
right.dataframe(arrow_of(data.snapshot_status), hide_index=True, key="snapshot_status_table")
right.caption(
    "Raw snapshots by status: guarded ones looked broken (e.g. a catalogue shrank) and were kept, not applied."
)

st.markdown("#### Replication")
st.markdown(
    f"Each headline figure of *{PAPER}* beside tokentide's, computed now — on this view (with its filters) "
    "and on the embedded default (no filters)."
)
if scope.is_empty:
    ui.empty_state(scope)
    view = None
else:
    view = scoped_analyses.report(scope)
default = cache.default_report(data.pairs_key, data.pairs)


def _replication() -> pd.DataFrame:
    table = scoped_analyses.replication_table(view or default, default)
    return table if view is not None else table.drop(columns=[c for c in table.columns if c.startswith("this_view")])


table = scope.memo(("replication", id(default)), _replication)
st.dataframe(
    arrow_of(table),
    hide_index=True,
    key="replication_table",
    column_config={
        "paper": st.column_config.NumberColumn("paper", format="%.4g"),
        "this_view": st.column_config.NumberColumn("this view", format="%.4g"),
        "embedded_default": st.column_config.NumberColumn("embedded default", format="%.4g"),
    },
)
