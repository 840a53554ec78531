"""Every exportable chart by name: the same builders serve the pages and `tokentide export`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.curves import FRONTIER_DEFINITION
from tokentide.analytics.prices import MODEL_KEY, PRICE_COLUMN
from tokentide.analytics.tiers import TIER_COLUMN
from tokentide.app import analyses, figures, theme
from tokentide.app.changes import biggest_movers, filter_changes
from tokentide.app.chart import Chart, empty_figure, finish, method_line, source_line
from tokentide.app.filters import blend_label
from tokentide.app.options import OPTION_SPECS, as_list
from tokentide.app.scope import Scope

Options = Mapping[str, str]
EMPTY_MESSAGE: str = "No data for these filters"


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    page: str
    options: tuple[str, ...]
    build: Callable[[Scope, Options, pd.DataFrame | None], Chart]


def _opt(options: Options, key: str) -> str:
    return options.get(key) or OPTION_SPECS[key].default


def _chart(
    scope: Scope,
    name: str,
    title: str,
    subtitle: str,
    fig,
    data: pd.DataFrame,
    *,
    tiers: bool = True,
    legend: bool = True,
    notes: tuple[str, ...] = (),
) -> Chart:
    empty = data.empty
    figure = empty_figure(EMPTY_MESSAGE) if empty else fig()
    source, method = source_line(scope), method_line(scope, tiers=tiers)
    finish(figure, title, subtitle, source, method, legend=legend and not empty)
    return Chart(name, title, subtitle, figure, data.reset_index(drop=True), source, method, empty, notes)


def _fit_label(group: str, fit) -> str:
    if not fit.ok:
        return f"{group} trend: no fit ({fit.reason})"
    if fit.half_life_years is None or not fit.significant_decline:
        return f"{group} trend: no significant decline"
    low, high = fit.half_life_ci_years
    high_text = "inf" if not np.isfinite(high) else f"{high:.2f}"
    return f"{group} trend: half-life {fit.half_life_years:.2f} y (95% CI {low:.2f}-{high_text})"


def price_curves(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    colour_by = _opt(options, "color")
    launch = scope.launch[(scope.launch[PRICE_COLUMN] > 0).to_numpy(dtype=bool, na_value=False)]
    launch = launch[launch["release_date"].notna()]
    group_col = TIER_COLUMN if colour_by == "tier" else "author"
    points = launch.assign(
        layer="launch",
        group=launch[group_col].fillna("untiered") if colour_by == "tier" else launch["author"].map(theme.author_group),
        date=launch["release_date"],
        label="",
    )
    if colour_by == "tier":
        order = {"economy": 0, "mid": 1, "flagship": 2}
    else:  # the legend lists authors in palette order, 'other' last
        order = {author: rank for rank, author in enumerate(theme.AUTHOR_COLOURS)}
    points = points.assign(_order=points["group"].map(order).fillna(9)).sort_values(["_order", "date"], kind="stable")
    frames = [points]
    if colour_by == "tier":
        frames.append(_frontier_steps(scope, points["date"].max()))
        fits = analyses.fits(scope)
        for tier in [t for t in ("economy", "mid", "flagship") if (points["group"] == t).any()]:
            tier_points = points[points["group"] == tier]
            line = analyses.fitted_line(fits[tier], tier_points["date"].min(), tier_points["date"].max())
            if len(line):
                frames.append(
                    line.rename(columns={"fitted_usd_per_mtok": PRICE_COLUMN}).assign(
                        layer="trend", group=tier, label=_fit_label(tier, fits[tier])
                    )
                )
    columns = [
        "layer",
        "group",
        "date",
        PRICE_COLUMN,
        "label",
        MODEL_KEY,
        "model_name",
        "author",
        TIER_COLUMN,
        "price_provider",
        "source",
        "source_url",
        "captured_at",
        "sha256",
        "interval_id",
    ]
    data = pd.concat([f.reindex(columns=columns) for f in frames], ignore_index=True) if len(launch) else points[[]]
    states = scope.launch["price_state"].value_counts()
    legend = (
        "Dots: launch prices; steps: cheapest so far (frontier); dashed: fitted trend. " if colour_by == "tier" else ""
    )
    subtitle = (
        f"Launch prices, USD per million tokens, blended {blend_label(scope.filters.weights)}, log scale. {legend}"
        f"{int(states.get('free', 0))} free and {int(states.get('unknown', 0))} unknown-price models not drawn."
    )
    notes = (FRONTIER_DEFINITION,) if colour_by == "tier" else ()
    return _chart(
        scope,
        "price-curves",
        "LLM API launch prices over time",
        subtitle,
        lambda: figures.price_curves(data, colour_by),
        data,
        notes=notes,
    )


def _frontier_steps(scope: Scope, end: pd.Timestamp) -> pd.DataFrame:
    """The frontier's steps, each tier held flat from its last step to the latest launch drawn."""
    steps = analyses.frontier(scope).steps
    names = scope.launch.set_index(MODEL_KEY)["model_name"]
    steps = steps.assign(layer="frontier", group=steps["tier"], model_name=steps[MODEL_KEY].map(names), label="")
    last = steps.groupby("tier", sort=False).tail(1)
    held = last[last["date"] < end].assign(date=end, label="held to latest launch")
    order = {"economy": 0, "mid": 1, "flagship": 2}
    out = pd.concat([steps, held], ignore_index=True)
    return out.assign(_o=out["tier"].map(order)).sort_values(["_o", "date"], kind="stable").drop(columns="_o")


def half_life_table(scope: Scope, options: Options) -> pd.DataFrame:
    method, window = _opt(options, "method"), _opt(options, "window")
    return scope.memo(("half_life_table", method, window), lambda: _half_life_table(scope, method, window))


def _half_life_table(scope: Scope, method: str, window: str) -> pd.DataFrame:
    fits = analyses.fits(scope, method=method, window=window)
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
        )
    return pd.DataFrame(rows)


def half_life_by_tier(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    data = half_life_table(scope, options) if not scope.launch.empty else pd.DataFrame()
    window = _opt(options, "window")
    span = "all launches" if window == "all" else f"launches in the last {window} months"
    subtitle = f"Years for the fitted launch price to halve, {_opt(options, 'method').upper()} on ln(price), {span}"
    return _chart(
        scope,
        "half-life-by-tier",
        "Price half-life by tier",
        subtitle,
        lambda: figures.half_life_bars(data),
        data,
        legend=False,
    )


def half_life_history(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    history = analyses.history(scope, method=_opt(options, "method"), window=_opt(options, "window"))
    data = history[history["ok"].astype(bool) & history["half_life_years"].notna()] if len(history) else history
    columns = ["group", "as_of", "half_life_years", "ci_low_years", "ci_high_years", "n", "r2", "method"]
    data = data.reindex(columns=columns)
    subtitle = "The estimate as it stood each month (only dates with a significant decline are drawn)"
    return _chart(
        scope,
        "half-life-history",
        "How the half-life estimate has moved",
        subtitle,
        lambda: figures.half_life_history(data),
        data,
    )


def half_life_residuals(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    tier = _opt(options, "htier")
    fit = analyses.fits(scope, method=_opt(options, "method"), window=_opt(options, "window"))[tier]
    data = analyses.residuals(scope, fit, tier)
    r2 = f"R² {fit.r2:.3f}" if fit.ok else f"no fit: {fit.reason}"
    subtitle = f"Residuals of the {tier} fit, ln(price) minus fitted; n = {fit.n}, {r2}"
    return _chart(
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
    result = analyses.scan(scope, tier=tier)
    data = result.series
    if result.ok:
        subtitle = (
            f"Chow F at each candidate date ({tier}); sup-F {result.sup_f:.2f} at "
            f"{result.argmax_date:%Y-%m-%d}, p_sup {result.p_sup:.3f} ({result.p_method})"
        )
    else:
        subtitle = f"No scan: {result.reason}"
    return _chart(
        scope,
        "break-scan",
        "Where does the price trend break?",
        subtitle,
        lambda: figures.break_scan(data, pd.Timestamp(chosen, tz="UTC"), result.argmax_date),
        data,
        legend=False,
        notes=(result.caveat,),
    )


def pair_table(scope: Scope) -> pd.DataFrame:
    """The matched pairs with a model in view, their prices, ratio and status (memoised per filter state)."""
    return scope.memo(("pair_table",), lambda: _pair_table(scope))


def _pair_table(scope: Scope) -> pd.DataFrame:
    pair = analyses.report(scope).pair_premium
    if pair is None:
        return pd.DataFrame()
    names = scope.intervals.drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)
    table = pair.pairs.merge(
        scope.pairs[["reasoning_model_id", "base_model_id", "author", "relation", "source_url"]],
        on=["reasoning_model_id", "base_model_id"],
        how="left",
    )
    in_view = table["reasoning_model_id"].isin(scope.intervals["model_id"]) | table["reasoning_model_id"].isin(
        names.index
    )
    table = table[in_view.to_numpy(dtype=bool)]
    table["label"] = table["reasoning_model_id"] + " vs " + table["base_model_id"]
    return table.reset_index(drop=True)


def premium_pairs(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    table = pair_table(scope)
    data = table[table["status"] == "ok"] if len(table) else table
    pair = analyses.report(scope).pair_premium
    average = pair.ratio if pair is not None and pair.ok else None
    subtitle = "Matched pairs of the same maker, each priced at the later release date; blended price ratio"
    return _chart(
        scope,
        "premium-pairs",
        "Reasoning premium per token: matched pairs",
        subtitle,
        lambda: figures.premium_pairs(data, average),
        data,
        tiers=False,
        legend=False,
    )


def premium_trend(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    trend = analyses.premium_over_time(scope, _opt(options, "period"))
    data = trend[trend["ok"].astype(bool)] if len(trend) else trend
    subtitle = "Median within-tier ratio of reasoning to non-reasoning launch prices per release period, 95% CI"
    return _chart(
        scope,
        "premium-trend",
        "Reasoning premium over time",
        subtitle,
        lambda: figures.ratio_trend(data),
        data,
        legend=False,
    )


def concentration(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    result = analyses.market(scope, basis=_opt(options, "basis"), period=_opt(options, "period"), usage=usage)
    data = result.series
    return _chart(
        scope,
        "concentration",
        "Market concentration: HHI and CR4",
        f"Basis: {result.market_definition}",
        lambda: figures.hhi_cr4(data),
        data,
    )


def shares(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    basis = _opt(options, "basis")
    result = analyses.market(scope, basis=basis, period=_opt(options, "period"), usage=usage)
    raw = result.shares
    firm = (
        "author"
        if basis == "models-by-author" or (basis == "usage" and usage is not None and "author" in usage.columns)
        else "provider"
    )
    if firm == "author":
        raw = raw.assign(firm=raw["firm"].map(theme.author_group))
    data = raw.groupby(["period", "firm"], as_index=False)[["size", "share_pct"]].sum().rename(columns={"firm": firm})
    colours = {**theme.AUTHOR_COLOURS, theme.OTHER_LABEL: theme.OTHER_COLOUR}
    if firm == "provider":
        top = data.groupby("provider")["size"].sum().nlargest(7).index
        data[firm] = data[firm].where(data[firm].isin(top), theme.OTHER_LABEL)
        data = data.groupby(["period", firm], as_index=False)[["size", "share_pct"]].sum()
        colours = {p: theme.series_colour(i) for i, p in enumerate(top)} | {theme.OTHER_LABEL: theme.OTHER_COLOUR}
    subtitle = f"Share by {firm} (%); authors without their own colour are grouped as other. Basis: {basis}"
    return _chart(
        scope,
        "shares",
        f"Who makes the market: shares by {firm}",
        subtitle,
        lambda: figures.stacked_shares(data, firm, colours),
        data,
    )


def country_split(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    basis = _opt(options, "basis")
    data = analyses.countries(scope, basis=basis, period=_opt(options, "period"), usage=usage)
    subtitle = f"Share (%) by the model maker's headquarters; basis: {basis}"
    return _chart(
        scope,
        "country-split",
        "US, China and the rest",
        subtitle,
        lambda: figures.stacked_shares(data, "country_group", theme.COUNTRY_COLOURS, bars=True),
        data,
    )


def price_history(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    models = tuple(as_list(_opt(options, "models")))
    history = analyses.price_history(scope, models)
    history = history[history["blended_usd_per_mtok"] > 0]
    series = history["model_id"] + " · " + history["provider"] + " (" + history["source"] + ")"
    ends = history.assign(valid_from=history["valid_to"].fillna(scope.moment))
    last = ends.groupby(series, sort=False).tail(1)
    data = pd.concat(
        [history.assign(date=history["valid_from"], point="change"), last.assign(date=last["valid_from"], point="end")]
    ).assign(series=series)
    data["author"] = data[MODEL_KEY].map(scope.intervals.drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)["author"])
    data = data.sort_values(["series", "date", "point"]).reset_index(drop=True)
    subtitle = f"Blended {blend_label(scope.filters.weights)} USD per million tokens by provider and source, log scale"
    title = "Price histories: " + (", ".join(models) if models else "choose models")
    return _chart(scope, "price-history", title[:90], subtitle, lambda: figures.price_steps(data), data, tiers=False)


def movers(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    since = _opt(options, "since")
    table = filter_changes(
        scope.changes,
        direction=_opt(options, "dir"),
        min_pct=float(_opt(options, "min")),
        since=pd.Timestamp(since, tz="UTC") if since else None,
    )
    data = biggest_movers(table)
    subtitle = "Largest input or output list-price changes, ranked by the size of the ratio (cuts green, rises orange)"
    return _chart(
        scope, "movers", "Biggest price moves", subtitle, lambda: figures.movers(data), data, tiers=False, legend=False
    )


CHARTS: dict[str, ChartSpec] = {
    spec.name: spec
    for spec in (
        ChartSpec("price-curves", "Launch prices and tier frontiers", "Price curves", ("color",), price_curves),
        ChartSpec("half-life-by-tier", "Half-life per tier", "Half-life", ("method", "window"), half_life_by_tier),
        ChartSpec("half-life-history", "History of the estimate", "Half-life", ("method", "window"), half_life_history),
        ChartSpec(
            "half-life-residuals", "Fit residuals", "Half-life", ("method", "window", "htier"), half_life_residuals
        ),
        ChartSpec("break-scan", "Structural-break scan", "Half-life", ("htier", "break"), break_scan),
        ChartSpec("premium-pairs", "Matched pairs", "Reasoning premium", (), premium_pairs),
        ChartSpec("premium-trend", "Premium over time", "Reasoning premium", ("period",), premium_trend),
        ChartSpec("concentration", "HHI and CR4", "Concentration", ("basis", "period"), concentration),
        ChartSpec("shares", "Shares by author", "Concentration", ("basis", "period"), shares),
        ChartSpec("country-split", "US / China / other", "Concentration", ("basis", "period"), country_split),
        ChartSpec("price-history", "Compare price histories", "Models & prices", ("models",), price_history),
        ChartSpec("movers", "Biggest movers", "Changes", ("dir", "min", "since"), movers),
    )
}


def traced_interval(chart: Chart, curve_number: object, point_index: object) -> int | None:
    """The price interval behind a clicked launch point of the price curves (traces follow the data's
    (layer, group) order, so the click maps back to a row without shipping ids to the browser)."""
    if chart.name != "price-curves" or chart.empty or not isinstance(curve_number, int):
        return None
    groups = list(chart.data.groupby(["layer", "group"], sort=False))
    if not 0 <= curve_number < len(groups) or not isinstance(point_index, int):
        return None
    (layer, _), rows = groups[curve_number]
    if layer != "launch" or not 0 <= point_index < len(rows):
        return None
    value = rows.iloc[point_index]["interval_id"]
    return None if pd.isna(value) else int(value)


def build_chart(name: str, scope: Scope, options: Options | None = None, usage: pd.DataFrame | None = None) -> Chart:
    """The named chart for a scope and options (other options are ignored); `usage` feeds basis=usage."""
    if name not in CHARTS:
        raise KeyError(f"unknown chart {name!r}; choose one of {', '.join(CHARTS)}")
    spec = CHARTS[name]
    chosen = {key: (options or {}).get(key, OPTION_SPECS[key].default) for key in spec.options}
    key = ("chart", name, tuple(sorted(chosen.items())), analyses.frame_key(usage))
    return scope.memo(key, lambda: spec.build(scope, chosen, usage))
