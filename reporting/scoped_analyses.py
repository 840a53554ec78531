"""The analytics each page and chart needs, computed once per filter state and options (memoised on the scope)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from tokentide.analytics.breaks import ChowResult, ChowScan, chow_scan, chow_test
from tokentide.analytics.columns import years_since
from tokentide.analytics.concentration import LISTED_BASES, Concentration, concentration, country_split
from tokentide.analytics.curves import Frontier, tier_frontier
from tokentide.analytics.frames import TIERS
from tokentide.analytics.halflife import HalfLifeFit, fit_half_life, half_life_history
from tokentide.analytics.pairs import PairPremium, pair_premium_at_common_date
from tokentide.analytics.premium import GroupPremium, TaskPremium, per_task_premium, premium_trend, within_tier_premium
from tokentide.analytics.prices import MODEL_KEY, PRICE_COLUMN
from tokentide.analytics.report import Report, build_report
from tokentide.analytics.tiers import TIER_COLUMN
from tokentide.reporting import change_log as changes_module
from tokentide.reporting.options import window_months
from tokentide.reporting.scope import TRACE_COLUMNS, Scope, blended

BOOTSTRAP_DRAWS: int = 1000
HISTORY_DRAWS: int = 300  # per as-of date; the seed is fixed, so the history moves only with the data
SCAN_DRAWS: int = 299
GROUPS: tuple[str, ...] = ("all", *TIERS)


def _tier_points(scope: Scope, tier: str) -> pd.DataFrame:
    launch = scope.launch
    return launch if tier == "all" else launch[(launch[TIER_COLUMN] == tier).to_numpy(dtype=bool)]


def report(scope: Scope, *, method: str = "ols", break_date: str | None = None, period: str = "year") -> Report:
    """Every headline figure for the scope; tiers are the scope's (assigned before filtering)."""
    options = {"method": method, "break_date": break_date, "period": period}

    def compute() -> Report:
        f = scope.filters
        overrides = {str(k): str(v) for k, v in scope.assignment.tiers.dropna().items()}
        extra: dict[str, Any] = {"break_date": break_date} if break_date else {}
        return build_report(
            scope.intervals,
            as_of=scope.moment if f.as_of else None,
            tier_rule=f.tier_rule,
            tier_overrides=overrides,
            weights=f.weights,
            provider=f.pick,
            pairs=scope.pairs,
            method=method,
            bootstrap_draws=BOOTSTRAP_DRAWS,
            scan_draws=SCAN_DRAWS,
            period=period,
            filters=f.describe(),
            **extra,
        )

    return scope.memo(("report", tuple(sorted(options.items(), key=str))), compute)


def fits(scope: Scope, *, method: str = "ols", window: str = "all") -> dict[str, HalfLifeFit]:
    """Half-life per group ('all' and each tier), on all launches (as `tokentide report` fits them) or over
    a rolling window ending at the scope's moment. Computed directly, not through the full report, so the
    Overview does not wait for break scans it does not show."""

    def compute() -> dict[str, HalfLifeFit]:
        if window == "all":
            return {
                g: fit_half_life(_tier_points(scope, g), method=method, bootstrap_draws=BOOTSTRAP_DRAWS) for g in GROUPS
            }
        months = window_months(window)
        return {
            g: fit_half_life(_tier_points(scope, g), method=method, as_of=scope.moment, window_months=months)
            for g in GROUPS
        }

    return scope.memo(("fits", method, window), compute)


def pair_premium(scope: Scope) -> PairPremium:
    """Matched pairs, each priced at the later release date (as the report does)."""
    f = scope.filters
    return scope.memo(
        ("pair_premium",),
        lambda: pair_premium_at_common_date(
            scope.intervals, scope.pairs, weights=f.weights, provider=f.pick, bootstrap_draws=BOOTSTRAP_DRAWS
        ),
    )


def group_premium(scope: Scope, period: str = "year") -> GroupPremium:
    """The median within-tier ratio of reasoning to non-reasoning launch prices."""
    return scope.memo(
        ("group_premium", period),
        lambda: within_tier_premium(scope.launch, period=period, bootstrap_draws=BOOTSTRAP_DRAWS),
    )


def reasoning_premium(scope: Scope) -> PairPremium | GroupPremium:
    """Matched pairs when usable, else the within-tier ratio (the report's headline choice)."""
    pairs = pair_premium(scope)
    return pairs if pairs.ok else group_premium(scope)


def history(scope: Scope, *, method: str = "ols", window: str = "all") -> pd.DataFrame:
    """The as-of history of each group's estimate, monthly from the first launch to the as-of moment."""

    def compute() -> pd.DataFrame:
        dates = scope.launch["release_date"].dropna()
        if dates.empty:
            return pd.DataFrame(columns=["group", "as_of", "ok", "half_life_years", "ci_low_years", "ci_high_years"])
        start = dates.min() + pd.DateOffset(months=6)
        parts = [
            half_life_history(
                _tier_points(scope, g),
                start=start,
                end=scope.moment,
                method=method,
                window_months=window_months(window),
                bootstrap_draws=HISTORY_DRAWS,
            ).assign(group=g)
            for g in GROUPS
        ]
        return pd.concat(parts, ignore_index=True)

    return scope.memo(("history", method, window), compute)


def start_sensitivity(scope: Scope, *, method: str = "ols") -> pd.DataFrame:
    """The half-life of each group as the fit's first release date moves (see reporting/sensitivity.py)."""
    from tokentide.reporting.sensitivity import sensitivity

    return scope.memo(("sensitivity", method), lambda: sensitivity(scope.launch, GROUPS, scope.moment, method))


def residuals(scope: Scope, fit: HalfLifeFit, tier: str) -> pd.DataFrame:
    """Each fitted point's log residual against the fitted line (the points the fit used)."""
    columns = ["canonical_model_id", "model_name", "author", "release_date", PRICE_COLUMN, "fitted_usd_per_mtok"]
    if not fit.ok or fit.origin is None:
        return pd.DataFrame(columns=[*columns, "residual_log"])
    points = _tier_points(scope, tier)
    used = points[(points[PRICE_COLUMN] > 0).to_numpy(dtype=bool, na_value=False) & points["release_date"].notna()]
    if fit.window_months is not None and fit.as_of is not None:
        used = used[used["release_date"] > fit.as_of - pd.DateOffset(months=fit.window_months)]
    x = years_since(used["release_date"], fit.origin)
    fitted = np.exp(fit.intercept_log_usd + fit.slope_per_year * x)
    out = used[columns[:-1]].assign(fitted_usd_per_mtok=fitted)
    out["residual_log"] = np.log(out[PRICE_COLUMN].astype(float)) - np.log(fitted)
    return out.sort_values("release_date").reset_index(drop=True)


def fitted_line(fit: HalfLifeFit, start: pd.Timestamp, end: pd.Timestamp, n: int = 40) -> pd.DataFrame:
    if not fit.ok or fit.origin is None:
        return pd.DataFrame(columns=["date", "fitted_usd_per_mtok"])
    dates = pd.Series(pd.date_range(start, end, periods=n))
    x = years_since(dates, fit.origin)
    return pd.DataFrame({"date": dates, "fitted_usd_per_mtok": np.exp(fit.intercept_log_usd + fit.slope_per_year * x)})


def chow(scope: Scope, *, tier: str = "all", break_date: str) -> ChowResult:
    return scope.memo(("chow", tier, break_date), lambda: chow_test(_tier_points(scope, tier), break_date))


def scan(scope: Scope, *, tier: str = "all") -> ChowScan:
    return scope.memo(("scan", tier), lambda: chow_scan(_tier_points(scope, tier), bootstrap_draws=SCAN_DRAWS))


def frontier(scope: Scope) -> Frontier:
    return scope.memo(("frontier",), lambda: tier_frontier(scope.launch))


def per_task(scope: Scope, multiplier: float) -> TaskPremium | None:
    chosen = reasoning_premium(scope)
    if not chosen.ok:
        return None
    return per_task_premium(chosen.ratio, ci=(chosen.ci_low, chosen.ci_high), tokens_per_task_multiplier=multiplier)


def premium_over_time(scope: Scope, period: str = "year") -> pd.DataFrame:
    return scope.memo(
        ("premium_trend", period),
        lambda: premium_trend(scope.launch, period=period, bootstrap_draws=BOOTSTRAP_DRAWS // 2),
    )


def frame_key(frame: pd.DataFrame | None) -> int | None:
    """A content hash, so an uploaded usage file is a cache key like any option."""
    if frame is None:
        return None
    return int(pd.util.hash_pandas_object(frame, index=False).sum()) ^ hash(tuple(frame.columns))


def market(scope: Scope, *, basis: str, period: str, usage: pd.DataFrame | None = None) -> Concentration:
    """HHI and CR4 on the scope's (already filtered) market; the definition names the filters.

    The 'usage' basis needs a usage frame; without one (a link cannot carry the file) the result is empty."""
    if basis == "usage" and usage is None:
        return concentration(
            scope.intervals.iloc[0:0], "models-by-author", period=period, filters="no usage file loaded"
        )
    frame = usage if basis == "usage" else scope.intervals
    end = scope.moment if basis in LISTED_BASES else None
    return scope.memo(
        ("market", basis, period, frame_key(usage if basis == "usage" else None)),
        lambda: concentration(frame, basis, period=period, end=end, filters=scope.filters.describe()),
    )


def countries(scope: Scope, *, basis: str, period: str, usage: pd.DataFrame | None = None) -> pd.DataFrame:
    """US / China / other / unknown shares; empty when the basis has no country to split by."""
    frame = usage if basis == "usage" else scope.intervals
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["period", "country_group", "size", "share_pct"])
    end = scope.moment if basis in LISTED_BASES else None

    def compute() -> pd.DataFrame:
        try:
            return country_split(frame, basis, period=period, end=end)
        except ValueError:  # a usage file without a country column
            return pd.DataFrame(columns=["period", "country_group", "size", "share_pct"])

    return scope.memo(("countries", basis, period, frame_key(usage if basis == "usage" else None)), compute)


PRICE_TABLE_COLUMNS: tuple[str, ...] = (
    "model_name",
    "canonical_model_id",
    "author",
    "provider",
    TIER_COLUMN,
    "price_state",
    "usd_per_mtok_input",
    "usd_per_mtok_output",
    "usd_per_mtok_cache_read",
    "usd_per_mtok_reasoning",
    "blended_usd_per_mtok",
    "is_reasoning",
    "is_open_weights",
    "author_country",
    "release_date",
    "valid_from",
    "valid_to",
    *TRACE_COLUMNS,
    "model_id",
)


def price_table(scope: Scope) -> pd.DataFrame:
    """Current prices (as of the scope's moment), one row per model x provider x source."""

    def compute() -> pd.DataFrame:
        current = scope.current()
        table = current.assign(blended_usd_per_mtok=blended(current, scope.filters))
        return table[list(PRICE_TABLE_COLUMNS)].sort_values(["model_name", "provider", "source"]).reset_index(drop=True)

    return scope.memo(("price_table",), compute)


def price_history(scope: Scope, models: tuple[str, ...]) -> pd.DataFrame:
    """Step points of each chosen model's blended price per provider and source: one row per interval."""
    rows = scope.intervals[scope.intervals[MODEL_KEY].isin(list(models)).to_numpy(dtype=bool)]
    out = rows.assign(blended_usd_per_mtok=blended(rows, scope.filters))
    out = out[
        [
            "canonical_model_id",
            "model_id",
            "model_name",
            "provider",
            "source",
            "valid_from",
            "valid_to",
            "blended_usd_per_mtok",
            "usd_per_mtok_input",
            "usd_per_mtok_output",
            "price_state",
            "source_url",
            "captured_at",
            "sha256",
            "interval_id",
        ]
    ]
    return out.sort_values(["canonical_model_id", "model_id", "provider", "source", "valid_from"]).reset_index(
        drop=True
    )


def changes_this_week(scope: Scope) -> tuple[int, pd.Timestamp, pd.Timestamp | None]:
    """Price moves first seen in the 7 days to the as-of moment, and the latest one seen."""
    start = scope.moment - pd.Timedelta(days=7)
    recent = changes_module.moves_between(scope.changes, start, scope.moment)
    moves = scope.changes[scope.changes["event"].isin(changes_module.MOVES).to_numpy(dtype=bool)]
    latest = moves["first_seen_at"].max() if len(moves) else None
    return len(recent), start, (None if latest is None or pd.isna(latest) else latest)


def finite(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and (math.isnan(value) or math.isinf(value)))


def replication_table(view: Report, default: Report | None) -> pd.DataFrame:
    """The paper's headline figures beside tokentide's, on this view and on the embedded default."""
    from tokentide.analytics.replication import replication_rows

    def frame(report: Report, prefix: str) -> pd.DataFrame:
        rows = replication_rows(report)
        return pd.DataFrame(
            {
                "figure": [r.figure for r in rows],
                "unit": [r.unit for r in rows],
                "paper": [r.paper_value for r in rows],
                f"{prefix}": [r.tokentide_value for r in rows],
                f"{prefix}_n": [r.n for r in rows],
                f"{prefix}_interval": [_interval_text(r.interval) for r in rows],
                f"{prefix}_note": [r.note for r in rows],
            }
        )

    table = frame(view, "this_view")
    if default is not None:
        other = frame(default, "embedded_default").drop(columns=["figure", "unit", "paper"])
        table = pd.concat([table, other], axis=1)
    return table


def _interval_text(interval: tuple[float | None, float | None] | None) -> str:
    if not interval or interval[0] is None or not finite(interval[0]):
        return ""
    high = interval[1]
    high_text = "inf" if high is not None and math.isinf(high) else ("n/a" if not finite(high) else f"{high:.3g}")
    return f"{interval[0]:.3g} to {high_text}"


def default_report(pairs: pd.DataFrame) -> Report:
    """Every headline figure on the embedded default with no filters (what the paper is compared with)."""
    from tokentide.reporting.dataset import default_intervals

    return build_report(default_intervals(), pairs=pairs, bootstrap_draws=BOOTSTRAP_DRAWS, scan_draws=SCAN_DRAWS)


def overview_numbers(scope: Scope) -> dict[str, object]:
    """The counts on the Overview cards."""

    def compute() -> dict[str, object]:
        n_changes, since, latest = changes_this_week(scope)
        return {
            "n_changes": n_changes,
            "since": since,
            "latest": latest,
            "n_models": len(scope.launch),
            "n_providers": int(scope.intervals["provider"].nunique()),
            "n_priced": int((scope.launch["price_state"] == "paid").sum()),
        }

    return scope.memo(("overview_numbers",), compute)


STATE_LABELS: dict[str, str] = {"paid": "paid", "free": "FREE (0)", "unknown": "unknown"}


def launch_display(scope: Scope) -> pd.DataFrame:
    """The launch points, newest first, with a readable price state."""

    def compute() -> pd.DataFrame:
        launch = scope.launch.sort_values("release_date", ascending=False)
        return launch.assign(state=launch["price_state"].map(STATE_LABELS))

    return scope.memo(("launch_display",), compute)


def price_display(scope: Scope, query: str = "") -> pd.DataFrame:
    """The current price table with a readable state, narrowed to names or ids containing `query`."""

    def compute() -> pd.DataFrame:
        table = price_table(scope)
        if query:
            hay = table["model_name"].fillna("") + " " + table["model_id"].fillna("") + " " + table[MODEL_KEY]
            table = table[hay.str.lower().str.contains(query.lower(), regex=False).to_numpy(dtype=bool)]
        return table.assign(state=table["price_state"].map(STATE_LABELS))

    return scope.memo(("price_display", query), compute)


def model_choices(scope: Scope) -> list[str]:
    return scope.memo(("model_choices",), lambda: sorted(scope.intervals[MODEL_KEY].dropna().unique().tolist()))


def change_log(scope: Scope, *, direction: str, min_pct: float, since: str) -> pd.DataFrame:
    """The change log in view, filtered like `tokentide changes`."""
    stamp = pd.Timestamp(since, tz="UTC") if since else None
    return scope.memo(
        ("change_log", direction, min_pct, since),
        lambda: changes_module.filter_changes(scope.changes, direction=direction, min_pct=min_pct, since=stamp),
    )


def change_events(scope: Scope, *, direction: str, min_pct: float, since: str) -> pd.DataFrame:
    """The filtered change log folded to one row per model event (see reporting/change_events.py)."""
    from tokentide.reporting.change_events import model_events

    log = change_log(scope, direction=direction, min_pct=min_pct, since=since)
    return scope.memo(("change_events", direction, min_pct, since), lambda: model_events(log, scope.intervals))


def change_counts(scope: Scope, *, direction: str, min_pct: float, since: str) -> dict[str, int]:
    log = change_log(scope, direction=direction, min_pct=min_pct, since=since)
    return scope.memo(("change_counts", direction, min_pct, since), lambda: _change_counts(log))


def _change_counts(log: pd.DataFrame) -> dict[str, int]:
    moves = log["event"].isin(changes_module.MOVES).to_numpy(dtype=bool)
    direction = log["direction"].to_numpy(dtype=object)
    return {
        "events": len(log),
        "cuts": int((moves & (direction == "down")).sum()),
        "rises": int((moves & (direction == "up")).sum()),
        "listings": int((~moves).sum()),
    }


def first_rows(scope: Scope, key: tuple[object, ...], frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first n rows of a memoised table, itself memoised (a table is re-sent on every rerun)."""
    return scope.memo(("first_rows", n, *key), lambda: frame.head(n))


def state_counts(scope: Scope, key: tuple[object, ...], frame: pd.DataFrame) -> dict[str, int]:
    def compute() -> dict[str, int]:
        counts = frame["price_state"].value_counts()
        return {state: int(counts.get(state, 0)) for state in ("paid", "free", "unknown")}

    return scope.memo(("state_counts", *key), compute)
