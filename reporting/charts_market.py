"""Chart builders for markets: reasoning premium, concentration, shares, countries, price histories, movers."""

from __future__ import annotations

import pandas as pd

from tokentide.analytics.prices import MODEL_KEY
from tokentide.reporting import figures, figures_changes, figures_market, market_view, scoped_analyses, theme
from tokentide.reporting.change_log import biggest_movers, filter_changes
from tokentide.reporting.chart import Chart
from tokentide.reporting.chart_common import Options, make_chart
from tokentide.reporting.chart_common import opt as _opt
from tokentide.reporting.filters import blend_label
from tokentide.reporting.options import as_list
from tokentide.reporting.scope import Scope


def pair_table(scope: Scope) -> pd.DataFrame:
    """The matched pairs with a model in view, their prices, ratio and status (memoised per filter state)."""
    return scope.memo(("pair_table",), lambda: _pair_table(scope))


def _pair_table(scope: Scope) -> pd.DataFrame:
    pair = scoped_analyses.pair_premium(scope)
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
    pair = scoped_analyses.pair_premium(scope)
    average = pair.ratio if pair.ok else None
    subtitle = "Matched pairs of the same maker, each priced at the later release date; blended price ratio"
    return make_chart(
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
    trend = scoped_analyses.premium_over_time(scope, _opt(options, "period"))
    data = trend[trend["ok"].astype(bool)] if len(trend) else trend
    subtitle = "Median within-tier ratio of reasoning to non-reasoning launch prices per release period, 95% CI"
    return make_chart(
        scope,
        "premium-trend",
        "Reasoning premium over time",
        subtitle,
        lambda: figures.ratio_trend(data),
        data,
        legend=False,
    )


def concentration(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    basis, period = _opt(options, "basis"), _opt(options, "period")
    result = scoped_analyses.market(scope, basis=basis, period=period, usage=usage)
    data = market_view.scoped_series(scope, result, period, scoped_analyses.frame_key(usage))
    items = market_view.ITEM_WORD.get(basis, "items")
    subtitle = (
        f"Basis: {market_view.plain_basis(basis)}. Each point: n {items} and makers behind it; hollow grey = thin "
        f"(< {market_view.MIN_FIRMS} makers or < {market_view.MIN_ITEMS} {items}), hollow diamond = partial "
        "period (the data end inside it). Market: "
        f"{scope.filters.describe()}."
    )
    return make_chart(
        scope,
        "concentration",
        "Market concentration: HHI and CR4",
        subtitle,
        lambda: figures_market.hhi_cr4(data, items),
        data,
    )


def shares(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    basis = _opt(options, "basis")
    result = scoped_analyses.market(scope, basis=basis, period=_opt(options, "period"), usage=usage)
    raw = result.shares
    firm = result.firm
    if firm == "author":
        raw = raw.assign(firm=raw["firm"].map(theme.author_group))
    data = raw.groupby(["period", "firm"], as_index=False)[["size", "share_pct"]].sum().rename(columns={"firm": firm})
    colours = {**theme.AUTHOR_COLOURS, theme.OTHER_LABEL: theme.OTHER_COLOUR}
    grouped = "makers without their own colour are grouped as other"
    if firm != "author":
        top = data.groupby(firm)["size"].sum().nlargest(7).index
        data[firm] = data[firm].where(data[firm].isin(top), theme.OTHER_LABEL)
        data = data.groupby(["period", firm], as_index=False)[["size", "share_pct"]].sum()
        colours = market_view.provider_colours([str(p) for p in top], theme.AUTHOR_COLOURS, theme.SERIES_COLOURS)
        colours[theme.OTHER_LABEL] = theme.OTHER_COLOUR
        grouped = (
            f"the 7 largest {firm}s, the rest grouped as other; a {firm} that is also a maker keeps the maker's colour"
        )
    subtitle = f"Share by {firm} (%); {grouped}. Basis: {market_view.plain_basis(basis)}"
    return make_chart(
        scope,
        "shares",
        f"Who makes the market: shares by {firm}",
        subtitle,
        lambda: figures.stacked_shares(data, firm, colours),
        data,
    )


def country_split(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    basis = _opt(options, "basis")
    data = scoped_analyses.countries(scope, basis=basis, period=_opt(options, "period"), usage=usage)
    subtitle = f"Share (%) by the model maker's headquarters; basis: {basis}"
    return make_chart(
        scope,
        "country-split",
        "US, China and the rest",
        subtitle,
        lambda: figures.stacked_shares(data, "country_group", theme.COUNTRY_COLOURS, bars=True),
        data,
    )


def price_history(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    models = tuple(as_list(_opt(options, "models")))
    history = scoped_analyses.price_history(scope, models)
    history = history[history["blended_usd_per_mtok"] > 0]
    name = history["model_name"].fillna(history["model_id"])
    series = name + " · " + history["provider"] + " (" + history["source"] + ")"
    ends = history.assign(valid_from=history["valid_to"].fillna(scope.moment))
    last = ends.groupby(series, sort=False).tail(1)
    data = pd.concat(
        [history.assign(date=history["valid_from"], point="change"), last.assign(date=last["valid_from"], point="end")]
    ).assign(series=series)
    data["author"] = data[MODEL_KEY].map(scope.intervals.drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)["author"])
    data = data.sort_values(["series", "date", "point"]).reset_index(drop=True)
    subtitle = f"Blended {blend_label(scope.filters.weights)} USD per million tokens by provider and source, log scale"
    names = scope.intervals.drop_duplicates(MODEL_KEY).set_index(MODEL_KEY)["model_name"]
    title = "Price histories: " + (", ".join(str(names.get(m, m)) for m in models) if models else "choose models")
    return make_chart(
        scope, "price-history", title[:90], subtitle, lambda: figures_changes.price_steps(data), data, tiers=False
    )


def movers(scope: Scope, options: Options, usage: pd.DataFrame | None = None) -> Chart:
    since = _opt(options, "since")
    table = filter_changes(
        scope.changes,
        direction=_opt(options, "dir"),
        min_pct=float(_opt(options, "min")),
        since=pd.Timestamp(since, tz="UTC") if since else None,
    )
    data = biggest_movers(table)
    subtitle = (
        "The largest input or output list-price changes (chosen by the size of the ratio, so -75% ranks with "
        "+300%), deepest cut first; cuts green, rises orange; moving aliases (…-latest) left out"
    )
    return make_chart(
        scope,
        "movers",
        "Biggest price moves",
        subtitle,
        lambda: figures_changes.movers(data),
        data,
        tiers=False,
        legend=False,
    )
