"""Half-life: per-tier estimates with CIs, how the estimate moved, fit diagnostics and structural breaks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokentide.app import state, ui
from tokentide.app.arrow_cache import arrow_of
from tokentide.reporting import chartbook, scoped_analyses, sensitivity
from tokentide.reporting import formatting as fmt

FIT_COLUMNS = ("group", "half_life_years", "ci", "frontier_half_life_years", "frontier_ci",
               "annual_decline_factor", "r2", "n", "n_makers", "n_excluded_free", "n_excluded_unknown", "message",
               "frontier_message")  # fmt: skip


def _ci_text(lows: pd.Series, highs: pd.Series) -> list[str]:
    return [
        fmt.interval(low, high).removeprefix("95% CI ") if pd.notna(low) else "—"
        for low, high in zip(lows, highs, strict=True)
    ]


def _with_ci_text(table: pd.DataFrame) -> pd.DataFrame:
    """The interval as text ('1.16–∞'), so an unbounded end reads as such instead of a bare 'inf'."""
    return table.assign(
        ci=_ci_text(table["ci_low_years"], table["ci_high_years"]),
        frontier_ci=_ci_text(table["frontier_ci_low_years"], table["frontier_ci_high_years"]),
    )


ctx = state.context()
scope = ctx.scope
ui.header(
    "Price half-life",
    "How many years it takes the fitted launch price of a tier to halve: ln(price) on release date, 95% CI.",
    scope,
)
options = ui.options_row(("method", "window"))
if scope.is_empty:
    ui.empty_state(scope)
else:
    table = scope.memo(
        ("half_life_display", *options.values()), lambda: _with_ci_text(chartbook.half_life_table(scope, options))
    )
    st.dataframe(
        arrow_of(table),
        hide_index=True,
        key="half_life_table",
        column_order=FIT_COLUMNS,
        column_config={
            "half_life_years": st.column_config.NumberColumn("half-life (years)", format="%.2f"),
            "ci": st.column_config.TextColumn("95% CI (years)", help="∞: the data allow no upper bound"),
            "annual_decline_factor": st.column_config.NumberColumn("cheaper per year", format="%.2f×"),
            "r2": st.column_config.NumberColumn(
                "R²",
                format="%.3f",
                help="Share of the spread in ln(price) the date explains (0-1). Low R² is normal here: models of "
                "one tier still differ a lot in price; the CI, not R², says how sure the half-life is.",
            ),
            "frontier_half_life_years": st.column_config.NumberColumn(
                "frontier half-life (q=0.1)", format="%.2f", help="how fast the cheap end of the tier falls"
            ),
            "frontier_ci": st.column_config.TextColumn("frontier 95% CI (maker bootstrap)"),
            "n_makers": "makers",
            "n_excluded_free": "free (left out)",
            "n_excluded_unknown": "unknown (left out)",
        },
    )
    ui.estimator_notes(table)
    st.caption(
        f"**Tier rule** ({ui.md(scope.rule_label)}): which models are compared with which — *positioning* puts a "
        "model where its maker placed it (Haiku / Sonnet / Opus), *price-band* by its launch price. Change it in "
        "the sidebar. **R²** is how much of the price spread the release date explains; the half-life's "
        "certainty is in its CI."
    )
    if scope.filters.date_from:
        warning = sensitivity.depends_on_start(scoped_analyses.start_sensitivity(scope, method=options["method"]))
        st.warning(
            f"These fits use only models released from {scope.filters.date_from:%Y-%m-%d}. "
            + (ui.md(warning) if warning else "Check the **start date** panel below before quoting them."),
            icon=":material/event:",
        )
    ui.chart_panel("half-life-by-tier", scope, options, height=460)

    panel = state.option("hpanel")
    if panel == "history":
        st.caption("Each month's estimate uses only the launches known by then: watch it move as new prices land.")
        ui.chart_panel("half-life-history", scope, options, height=520)
        recorded = ctx.dataset.estimates
        if len(recorded):
            st.caption(
                f"As recorded by tokentide on each of {recorded['estimated_on'].nunique():,} days (all models, "
                "positioning rule, OLS; window 0 = all data): the live estimate's own log."
            )
            newest = scope.memo(
                ("recorded_estimates",), lambda: recorded.sort_values("estimated_on", ascending=False).head(48)
            )
            st.dataframe(
                arrow_of(newest),
                hide_index=True,
                key="recorded_estimates",
                column_order=["estimated_on", "tier", "window_months", "half_life_years", "ci_low_years",
                              "ci_high_years", "n", "r2", "significant", "data_as_of"],
                height=240,
            )  # fmt: skip
    elif panel == "start date":
        table = scoped_analyses.start_sensitivity(scope, method=options["method"])
        notes = [w for g in scoped_analyses.GROUPS if (w := sensitivity.depends_on_start(table, g))]
        for note in notes:
            st.warning(ui.md(note), icon=":material/event:")
        if not notes and len(table):
            st.caption("The verdict and size of each estimate hold as the start date moves (within a factor of 2).")
        ui.chart_panel("half-life-sensitivity", scope, options, height=520)
    elif panel == "diagnostics":
        tier = state.option("htier")
        fit = scoped_analyses.fits(scope, method=options["method"], window=options["window"])[tier]
        headline, detail = fmt.fit_card(fit)
        cols = st.columns(4)
        cols[0].metric(f"Half-life ({tier})", headline)
        cols[1].metric("Points used (n)", f"{fit.n}")
        cols[2].metric("R²", "—" if not fit.ok else f"{fit.r2:.3f}")
        cols[3].metric("Cheaper per year", "—" if not fit.ok else f"{fit.annual_decline_factor:.2f}×")
        st.caption(
            f"{detail}. Left out: {fit.n_excluded_free} free, {fit.n_excluded_unknown} unknown-price, "
            f"{fit.n_excluded_undated} undated. CI: {fit.ci_method or 'n/a'}."
        )
        ui.chart_panel("half-life-residuals", scope, {**options, "htier": tier}, height=460)
    else:
        tier, break_date = state.option("htier"), state.option("break")
        chow = scoped_analyses.chow(scope, tier=tier, break_date=break_date)
        cols = st.columns(4)
        cols[0].metric(f"Chow F at {break_date}", "—" if not chow.ok else f"{chow.f:.2f}")
        cols[1].metric("p (maker-robust)", fmt.p_value(chow.p) if chow.ok and not chow.thin else "—")
        cols[2].metric("Points before / after", f"{chow.n_before} / {chow.n_after}")
        cols[3].metric("Degrees of freedom", f"{chow.df_num}, {chow.df_den}")
        if not chow.ok:
            ui.not_enough(f"No Chow test: {chow.reason}")
        elif chow.thin:
            ui.not_enough(f"No maker-robust p: {chow.thin_reason}")
        scan = scoped_analyses.scan(scope, tier=tier)
        st.caption(
            f"At a date you fix: {chow.p_method}. Textbook F p (independent models): {fmt.p_value(chow.p_iid)}. "
            f"Search-adjusted (the break tokentide reports unless you fix a date): argmax "
            f"{scan.argmax_date.date() if scan.argmax_date is not None else '—'}, "
            f"p_sup {fmt.p_value(scan.p_sup) if not scan.thin else 'n/a (' + str(scan.thin_reason) + ')'}; "
            f"{scan.p_method}."
        )
        ui.chart_panel("break-scan", scope, {"htier": tier, "break": break_date}, height=460)
        st.caption(scoped_analyses.scan(scope, tier=tier).caveat)
