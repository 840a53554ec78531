"""Chart builders for prices: launch curves with frontiers and trends, half-lives, fit diagnostics, breaks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tokentide.analytics.curves import FRONTIER_DEFINITION
from tokentide.analytics.halflife import HalfLifeFit
from tokentide.analytics.prices import MODEL_KEY, PRICE_COLUMN
from tokentide.analytics.tier_names import TIERS
from tokentide.analytics.tiers import TIER_COLUMN
from tokentide.reporting import figures, figures_halflife, scoped_analyses, sensitivity, theme, uncertainty_views
from tokentide.reporting.chart import Chart
from tokentide.reporting.chart_common import Options, make_chart
from tokentide.reporting.chart_common import opt as _opt
from tokentide.reporting.filters import blend_label
from tokentide.reporting.scope import Scope
from tokentide.reporting.thin_periods import shade_thin_years, thin_note, thin_years


def _fit_label(group: str, fit: HalfLifeFit) -> str:
    if not fit.ok:
        return f"{group} trend: no fit ({fit.reason})"
    if fit.thin and fit.half_life_years is not None:
        return f"{group} trend: half-life {fit.half_life_years:.2f} y, no interval ({fit.n_clusters} makers < 6)"
    if fit.half_life_years is None or not fit.significant_decline:
        return f"{group} trend: no significant decline"
    low, high = fit.half_life_ci_years
    if low is None or high is None:
        return f"{group} trend: half-life {fit.half_life_years:.2f} y (no CI)"
    high_text = "inf" if not np.isfinite(high) else f"{high:.2f}"
    return f"{group} trend: half-life {fit.half_life_years:.2f} y (95% CI {low:.2f}-{high_text})"


CURVE_COLUMNS: tuple[str, ...] = (
    "layer", "group", "date", PRICE_COLUMN, "label", MODEL_KEY, "model_name", "author", TIER_COLUMN,
    "price_provider", "source", "source_url", "captured_at", "sha256", "interval_id",
)  # fmt: skip
TIER_ORDER: dict[str, int] = {tier: position for position, tier in enumerate(TIERS)}


def _launch_points(scope: Scope, colour_by: str) -> pd.DataFrame:
    """Paid, dated launch points grouped by tier or author, in legend order (tiers up; authors by palette)."""
    launch = scope.launch[(scope.launch[PRICE_COLUMN] > 0).to_numpy(dtype=bool, na_value=False)]
    launch = launch[launch["release_date"].notna()]
    if colour_by == "tier":
        group, order = launch[TIER_COLUMN].fillna("untiered"), TIER_ORDER
    else:
        group, order = launch["author"].map(theme.author_group), {a: i for i, a in enumerate(theme.AUTHOR_COLOURS)}
    points = launch.assign(layer="launch", group=group, date=launch["release_date"], label="")
    return points.assign(_o=points["group"].map(order).fillna(99)).sort_values(["_o", "date"], kind="stable")


def _trend_lines(scope: Scope, points: pd.DataFrame) -> list[pd.DataFrame]:
    fits = scoped_analyses.fits(scope)
    lines = []
    for tier in [t for t in TIER_ORDER if (points["group"] == t).any()]:
        dates = points.loc[points["group"] == tier, "date"]
        line = scoped_analyses.fitted_line(fits[tier], dates.min(), dates.max())
        if len(line):
            line = line.rename(columns={"fitted_usd_per_mtok": PRICE_COLUMN})
            lines.append(line.assign(layer="trend", group=tier, label=_fit_label(tier, fits[tier])))
    return lines


def _not_drawn(scope: Scope) -> str:
    """'Not drawn: 3 free and 2 undated models (...).': only the counts that are not zero, or nothing."""
    launch = scope.launch
    undated = launch["release_date"].isna().to_numpy()
    states = launch.loc[~undated, "price_state"].value_counts()
    parts = [
        f"{count} {what}"
        for count, what in (
            (int(states.get("free", 0)), "free"),
            (int(states.get("unknown", 0)), "unknown-price"),
            (int(undated.sum()), "undated (no known release date)"),
        )
        if count
    ]
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f" Not drawn: {listed} models."


def price_curves(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    """Launch points coloured by tier or by maker; the tiers' frontier steps and fitted trends are drawn
    either way (in the tier's colour), so colouring by maker loses no line."""
    colour_by = _opt(options, "color")
    points = _launch_points(scope, colour_by)
    tiers = _launch_points(scope, "tier") if colour_by != "tier" else points
    frames = [points, _frontier_steps(scope, tiers["date"].max()), *_trend_lines(scope, tiers)]
    data = pd.concat([f.reindex(columns=list(CURVE_COLUMNS)) for f in frames], ignore_index=True)
    if points.empty:
        data = data.iloc[0:0]
    key = "Dots: launch prices" + (" by maker" if colour_by != "tier" else "")
    subtitle = (
        f"Launch prices, USD per million tokens, blended {blend_label(scope.filters.weights)}, log scale. {key}; "
        f"steps: each tier's cheapest so far (frontier); dashed: fitted trend.{_not_drawn(scope)}"
    )
    thin = thin_years(tiers["date"])  # the years the tier fits rest on, whichever colouring
    subtitle += thin_note(thin)
    title = "LLM API launch prices over time"
    draw = lambda: shade_thin_years(figures.price_curves(data, colour_by), thin)  # noqa: E731
    return make_chart(scope, "price-curves", title, subtitle, draw, data, notes=(FRONTIER_DEFINITION,))


def _frontier_steps(scope: Scope, end: pd.Timestamp) -> pd.DataFrame:
    """The frontier's steps, each tier held flat from its last step to the latest launch drawn."""
    steps = scoped_analyses.frontier(scope).steps
    names = scope.launch.set_index(MODEL_KEY)["model_name"]
    steps = steps.assign(layer="frontier", group=steps["tier"], model_name=steps[MODEL_KEY].map(names), label="")
    last = steps.groupby("tier", sort=False).tail(1)
    held = last[last["date"] < end].assign(date=end, label="held to latest launch")
    out = pd.concat([steps, held], ignore_index=True)
    return out.assign(_o=out["tier"].map(TIER_ORDER)).sort_values(["_o", "date"], kind="stable").drop(columns="_o")


def half_life_table(scope: Scope, options: Options) -> pd.DataFrame:
    method, window = _opt(options, "method"), _opt(options, "window")
    return scope.memo(("half_life_table", method, window), lambda: _half_life_table(scope, method, window))


def _half_life_table(scope: Scope, method: str, window: str) -> pd.DataFrame:
    fits = scoped_analyses.fits(scope, method=method, window=window)
    frontier = uncertainty_views.frontier_fits(scope) if window == "all" else {}
    rows = []
    for group, fit in fits.items():
        low, high = fit.half_life_ci_years
        rows.append(
            {
                "group": group,
                "half_life_years": fit.half_life_years,
                "ci_low_years": low,
                "ci_high_years": high,
                "annual_decline_factor": fit.annual_decline_factor if fit.ok else None,
                "r2": fit.r2 if fit.ok else None,
                "n": fit.n,
                "n_excluded_free": fit.n_excluded_free,
                "n_excluded_unknown": fit.n_excluded_unknown,
                "method": fit.method,
                "significant_decline": fit.significant_decline,
                "message": fit.message,
                "label": ""
                if fit.half_life_years is None
                else f"{fit.half_life_years:.2f} y" + ("" if fit.significant_decline else " (not significant)"),
            }
            | uncertainty_views.fit_columns(fit)
            | uncertainty_views.frontier_columns(frontier.get(group))
        )
    return pd.DataFrame(rows)


def half_life_by_tier(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    data = half_life_table(scope, options) if not scope.launch.empty else pd.DataFrame()
    window = _opt(options, "window")
    span = "all launches" if window == "all" else f"launches in the last {window} months"
    subtitle = f"Years for the fitted launch price to halve, {_opt(options, 'method').upper()} on ln(price), {span}"
    return make_chart(
        scope,
        "half-life-by-tier",
        "Price half-life by tier",
        subtitle,
        lambda: figures.half_life_bars(data),
        data,
        legend=False,
    )


def half_life_history(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    history = scoped_analyses.history(scope, method=_opt(options, "method"), window=_opt(options, "window"))
    data = history[history["ok"].astype(bool)] if len(history) else history
    columns = ["group", "as_of", "half_life_years", "ci_low_years", "ci_high_years", "n", "r2", "method",
               "significant_decline"]  # fmt: skip
    data = data.reindex(columns=columns)
    if len(data):  # what the subtitle promises: a month without a significant decline is a gap, not a value
        hidden = ~data["significant_decline"].fillna(False).astype(bool)
        data.loc[hidden, ["half_life_years", "ci_low_years", "ci_high_years"]] = np.nan
    subtitle = (
        "The estimate as it stood each month; only months with a significant decline are drawn (a gap: the "
        "slope's CI reached zero then)"
    )
    return make_chart(
        scope,
        "half-life-history",
        "How the half-life estimate has moved",
        subtitle,
        lambda: figures.half_life_history(data),
        data,
    )


def half_life_sensitivity(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    method = _opt(options, "method")
    data = scoped_analyses.start_sensitivity(scope, method=method)
    subtitle = (
        f"Half-life ({method.upper()} on ln(launch price), 95% CI) when the fit starts at each date, every "
        f"{sensitivity.STEP_MONTHS} months; open circles on 0: no significant decline from that start"
    )
    return make_chart(
        scope,
        "half-life-sensitivity",
        "Does the half-life depend on the start date?",
        subtitle,
        lambda: figures_halflife.start_sensitivity(data),
        data,
    )


def half_life_residuals(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    tier = _opt(options, "htier")
    fit = scoped_analyses.fits(scope, method=_opt(options, "method"), window=_opt(options, "window"))[tier]
    data = scoped_analyses.residuals(scope, fit, tier)
    r2 = f"R² {fit.r2:.3f}" if fit.ok else f"no fit: {fit.reason}"
    subtitle = f"Residuals of the {tier} fit, ln(price) minus fitted; n = {fit.n}, {r2}"
    return make_chart(
        scope,
        "half-life-residuals",
        f"Fit diagnostics: {tier}",
        subtitle,
        lambda: figures.residuals(data),
        data,
        legend=False,
    )


def break_scan(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    tier, chosen = _opt(options, "htier"), _opt(options, "break")
    result = scoped_analyses.scan(scope, tier=tier)
    data = result.series
    if result.ok:
        subtitle = (
            f"Chow F at each candidate date ({tier}); sup-F {result.sup_f:.2f} at "
            f"{result.argmax_date:%Y-%m-%d}, p_sup {result.p_sup:.3f} ({result.p_method})"
        )
    else:
        subtitle = f"No scan: {result.reason}"
    return make_chart(
        scope,
        "break-scan",
        "Where does the price trend break?",
        subtitle,
        lambda: figures.break_scan(data, pd.Timestamp(chosen, tz="UTC"), result.argmax_date),
        data,
        legend=False,
        notes=(result.caveat,),
    )
