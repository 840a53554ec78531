"""Structural breaks in the log-price trend: a Chow test at a date and a sup-F scan over dates."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from tokentide.analytics.cluster_inference import MIN_CLUSTERS, cluster_codes
from tokentide.analytics.cluster_wald import null_sup_wald, split_wald
from tokentide.analytics.columns import utc_series, utc_timestamp, years_since
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import PRICE_COLUMN

DEFAULT_BREAK_DATE: str = "2024-05-01"
N_PARAMS: int = 2  # intercept and slope of ln(price) on years
MIN_POINTS_PER_SIDE: int = N_PARAMS + 1  # each side needs residual degrees of freedom
DEFAULT_TRIM: float = 0.15
MIN_SIDE_MAKERS: int = 6  # a scanned date needs this many makers on each side for a maker-robust Wald
SCAN_P_METHOD: str = (
    "sup over candidate dates of the maker-robust (CR1) Wald statistic / 2; p from a wild cluster bootstrap "
    "by maker (restricted: CR2-adjusted residuals of the no-break line, each maker's multiplied by one Webb "
    "weight), taking the sup in every draw, so the search over dates is accounted for; dates need 6 makers "
    "on each side; seeded"
)
CHOW_P_METHOD: str = (
    "maker-robust (CR1) Wald statistic / 2 at a fixed date; p from a wild cluster restricted bootstrap by "
    "maker (CR2-adjusted residuals, Webb weights), seeded; f and p_iid are the textbook Chow F and its "
    "F(2, n-4) p, which assume independent models"
)
SCAN_CAVEAT: str = (
    "Per-date p-values are pointwise F(2, n-4) values and are not valid for the maximum over dates; "
    "use p_sup, which accounts for the search."
)
_CELLS: int = 2_000_000


@dataclass(frozen=True)
class _LogPoints:
    x_years: np.ndarray  # sorted ascending
    y_log_usd: np.ndarray
    dates: pd.Series  # UTC, same order
    n_free: int
    n_unknown: int
    clusters: np.ndarray  # maker codes, same order; an unknown maker is its own cluster

    @property
    def n_clusters(self) -> int:
        return int(self.clusters.max()) + 1 if len(self.clusters) else 0


def _log_points(points: pd.DataFrame, date_col: str, price_col: str, cluster_col: str | None) -> _LogPoints:
    require_columns(points, (date_col, price_col), "structural break test")
    price = points[price_col].to_numpy(dtype=float, na_value=np.nan)
    dates = utc_series(points[date_col]).reset_index(drop=True)
    dated = dates.notna().to_numpy()
    used = dated & (price > 0)
    order = np.argsort(years_since(dates[used], dates[used].min()) if used.any() else [], kind="stable")
    kept = dates[used].iloc[order].reset_index(drop=True)
    x = years_since(kept, kept.min()) if len(kept) else np.empty(0)
    n_free, n_unknown = int((dated & (price == 0)).sum()), int((~dated | np.isnan(price)).sum())
    labels = points[cluster_col].to_numpy(dtype=object)[used][order] if cluster_col in points.columns else None
    clusters = pd.factorize(cluster_codes(labels, len(kept)))[0] if len(kept) else np.empty(0, dtype=int)
    return _LogPoints(x, np.log(price[used][order]), kept, n_free, n_unknown, clusters)


def _ssr(x: np.ndarray, y: np.ndarray) -> float:
    xc, yc = x - x.mean(), y - y.mean()
    return float(yc @ yc - (xc @ yc) ** 2 / (xc @ xc))


@dataclass(frozen=True)
class ChowResult:
    """Chow F test of equal intercept and slope before and after `break_date` (before: date < break)."""

    ok: bool
    reason: str | None
    break_date: pd.Timestamp
    f: float
    p: float
    df_num: int
    df_den: int
    n_before: int
    n_after: int
    n_excluded_free: int
    n_excluded_unknown: int
    p_iid: float = math.nan
    wald: float = math.nan  # maker-robust Wald / 2: the statistic behind p
    p_method: str = CHOW_P_METHOD
    n_clusters: int = 0
    thin: bool = False
    thin_reason: str | None = None
    bootstrap_draws: int = 0


def _thin_reason(n_clusters: int) -> str | None:
    if n_clusters < MIN_CLUSTERS:
        return f"only {n_clusters} maker(s) (< {MIN_CLUSTERS}): too few clusters for a maker-robust p-value"
    return None


def _side_problem(x: np.ndarray, side: str, min_points: int) -> str | None:
    if len(x) < min_points:
        return f"too few points {side} the break: {len(x)} < {min_points}"
    if len(np.unique(x)) < 2:
        return f"fewer than 2 distinct dates {side} the break"
    return None


def chow_test(
    points: pd.DataFrame,
    break_date: object = DEFAULT_BREAK_DATE,
    *,
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    min_points_per_side: int = MIN_POINTS_PER_SIDE,
    cluster_col: str | None = "author",
    bootstrap_draws: int = 999,
    seed: int = 0,
) -> ChowResult:
    """Chow test for a break in ln(price) on years at `break_date`; free and unknown prices excluded.

    F = ((SSR_pooled - SSR_before - SSR_after) / 2) / ((SSR_before + SSR_after) / (n - 4)), p from the F
    distribution (exact under iid normal errors) is kept as p_iid; the reported p comes from a wild
    cluster bootstrap by maker under the no-break null (`cluster_col`; see CHOW_P_METHOD), and is NaN
    with thin=True when fewer than 6 makers remain. Refuses (ok=False) when a side has fewer than
    `min_points_per_side` points (at least 3) or fewer than 2 distinct dates.
    """
    data = _log_points(points, date_col, price_col, cluster_col)
    moment = utc_timestamp(break_date)
    before = (data.dates < moment).to_numpy()
    n_before, n_after = int(before.sum()), int((~before).sum())
    df_den = n_before + n_after - 2 * N_PARAMS
    base = dict(break_date=moment, df_num=N_PARAMS, df_den=df_den, n_before=n_before, n_after=n_after)
    base |= {"n_excluded_free": data.n_free, "n_excluded_unknown": data.n_unknown}
    base |= {"n_clusters": data.n_clusters, "bootstrap_draws": bootstrap_draws}
    need = max(min_points_per_side, MIN_POINTS_PER_SIDE)
    x, y = data.x_years, data.y_log_usd
    problem = _side_problem(x[before], "before", need) or _side_problem(x[~before], "after", need)
    if problem:
        return ChowResult(False, problem, f=math.nan, p=math.nan, **base)
    ssr_split = _ssr(x[before], y[before]) + _ssr(x[~before], y[~before])
    if ssr_split <= 0:
        return ChowResult(False, "both sides fit exactly; F is undefined", f=math.nan, p=math.nan, **base)
    f = max(_ssr(x, y) - ssr_split, 0.0) / N_PARAMS / (ssr_split / df_den)
    p_iid = float(stats.f.sf(f, N_PARAMS, df_den))
    thin = _thin_reason(data.n_clusters)
    if thin is not None:
        return ChowResult(True, None, f=f, p=math.nan, p_iid=p_iid, thin=True, thin_reason=thin, **base)
    split = np.array([n_before])
    wald = float(split_wald(x, y[np.newaxis, :], data.clusters, split)[0, 0])
    if thin is None and math.isnan(wald):
        thin = "the maker-robust covariance is singular at this date (makers on one side only)"
    if thin is not None:
        return ChowResult(True, None, f=f, p=math.nan, p_iid=p_iid, thin=True, thin_reason=thin, **base)
    null = null_sup_wald(x, y, data.clusters, split, bootstrap_draws, seed)
    p = (1 + int((null >= wald * (1 - 1e-12)).sum())) / (bootstrap_draws + 1)
    return ChowResult(True, None, f=f, p=p, p_iid=p_iid, wald=wald, **base)


@dataclass(frozen=True)
class ChowScan:
    """Chow F at every candidate date inside the trimmed range, its maximum and the sup-F p-value."""

    ok: bool
    reason: str | None
    series: pd.DataFrame  # date, f, p_pointwise, n_before, n_after
    argmax_date: pd.Timestamp | None
    sup_f: float
    p_sup: float
    p_method: str
    trim: float
    bootstrap_draws: int
    caveat: str = SCAN_CAVEAT
    n_clusters: int = 0
    thin: bool = False
    thin_reason: str | None = None
    sup_wald: float = math.nan


def _candidate_splits(x: np.ndarray, trim: float, min_points: int) -> np.ndarray:
    """Split positions k (left = first k points) at date boundaries, inside the trimmed range, with
    enough points and two distinct dates on each side."""
    n = len(x)
    edge = max(math.ceil(trim * n), min_points)
    if n < 2 * edge:
        return np.empty(0, dtype=int)
    k = np.arange(edge, n - edge + 1)
    k = k[(k > 0) & (k < n)]
    return k[(x[k - 1] < x[k]) & (x[0] < x[k - 1]) & (x[k] < x[-1])]


def _makers_on_both_sides(splits: np.ndarray, clusters: np.ndarray, min_makers: int) -> np.ndarray:
    """The splits with at least `min_makers` makers among the points before and among those after."""
    n_clusters = int(clusters.max()) + 1
    first = np.full(n_clusters, len(clusters))
    np.minimum.at(first, clusters, np.arange(len(clusters)))
    last = np.full(n_clusters, -1)
    np.maximum.at(last, clusters, np.arange(len(clusters)))
    before = (first[np.newaxis, :] < splits[:, np.newaxis]).sum(axis=1)
    after = (last[np.newaxis, :] >= splits[:, np.newaxis]).sum(axis=1)
    return splits[(before >= min_makers) & (after >= min_makers)]


def _prefix(values: np.ndarray) -> np.ndarray:
    """Prefix sums along the last axis with a leading 0, so [k] is the sum of the first k values."""
    return np.concatenate([np.zeros(values.shape[:-1] + (1,)), np.cumsum(values, axis=-1)], axis=-1)


def _ssr_from_sums(
    m: np.ndarray | int, sx: np.ndarray, sy: np.ndarray, syy: np.ndarray, sxx: np.ndarray, sxy: np.ndarray
) -> np.ndarray:
    """Residual sum of squares of a simple regression from the sums over its m points."""
    return (syy - sy**2 / m) - (sxy - sx * sy / m) ** 2 / (sxx - sx**2 / m)


def _split_f(x: np.ndarray, ys: np.ndarray, splits: np.ndarray) -> np.ndarray:
    """Chow F for each row of ys (draws x n) at each split, from prefix sums; shape (draws, splits)."""
    n, k = len(x), splits
    xc = x - x.mean()
    yc = ys - ys.mean(axis=1, keepdims=True)
    sx, sxx = _prefix(xc), _prefix(xc * xc)
    sy, syy, sxy = _prefix(yc), _prefix(yc * yc), _prefix(yc * xc)
    left = _ssr_from_sums(k, sx[k], sy[:, k], syy[:, k], sxx[k], sxy[:, k])
    right = _ssr_from_sums(
        n - k, sx[n] - sx[k], sy[:, [n]] - sy[:, k], syy[:, [n]] - syy[:, k], sxx[n] - sxx[k], sxy[:, [n]] - sxy[:, k]
    )
    pooled = _ssr_from_sums(n, sx[n], sy[:, [n]], syy[:, [n]], sxx[n], sxy[:, [n]])
    split_ssr = np.maximum(left + right, 1e-300)  # an exact fit on both sides would divide by zero
    return np.maximum(pooled - split_ssr, 0.0) / N_PARAMS / (split_ssr / (n - 2 * N_PARAMS))


def chow_scan(
    points: pd.DataFrame,
    *,
    trim: float = DEFAULT_TRIM,
    bootstrap_draws: int = 499,
    seed: int = 0,
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    min_points_per_side: int = MIN_POINTS_PER_SIDE,
    cluster_col: str | None = "author",
) -> ChowScan:
    """Chow F at each distinct date that leaves `trim` of the points (and at least 3) on each side.

    The break estimate is the argmax date. Its p-value p_sup compares the observed sup-F with the sup-F
    of wild cluster bootstrap series under the no-break null (see SCAN_P_METHOD), so both the search over
    dates and the clustering of prices by maker are accounted for: p = (1 + #{sup-F* >= sup-F}) /
    (draws + 1). With fewer than 6 makers p_sup is NaN and thin=True.
    """
    if not 0.0 <= trim < 0.5:
        raise ValueError(f"trim must be in [0, 0.5), got {trim}")
    data = _log_points(points, date_col, price_col, cluster_col)
    x, y = data.x_years, data.y_log_usd
    splits = _candidate_splits(x, trim, max(min_points_per_side, MIN_POINTS_PER_SIDE))
    empty = pd.DataFrame(columns=["date", "f", "wald", "p_pointwise", "n_before", "n_after"])
    if len(splits) == 0:
        reason = f"no candidate date leaves enough points on both sides ({len(x)} priced points, trim {trim})"
        return ChowScan(False, reason, empty, None, math.nan, math.nan, SCAN_P_METHOD, trim, bootstrap_draws)
    thin = _thin_reason(data.n_clusters)
    if thin is None:
        robust_splits = _makers_on_both_sides(splits, data.clusters, MIN_SIDE_MAKERS)
        if len(robust_splits) == 0:
            thin = f"no candidate date has {MIN_SIDE_MAKERS} makers on each side"
        else:
            splits = robust_splits
    f_obs = _split_f(x, y[np.newaxis, :], splits)[0]
    wald = split_wald(x, y[np.newaxis, :], data.clusters, splits)[0] if thin is None else np.full(len(splits), np.nan)
    robust = thin is None and bool(np.isfinite(wald).any())
    best = int(np.nanargmax(wald)) if robust else int(np.argmax(f_obs))
    null = null_sup_wald(x, y, data.clusters, splits, bootstrap_draws, seed) if robust else np.empty(0)
    exceed = int((null >= wald[best] * (1 - 1e-12)).sum()) if robust else 0
    series = pd.DataFrame(
        {
            "date": data.dates.iloc[splits].reset_index(drop=True),
            "f": f_obs,
            "wald": wald,
            "p_pointwise": stats.f.sf(f_obs, N_PARAMS, len(x) - 2 * N_PARAMS),
            "n_before": splits,
            "n_after": len(x) - splits,
        }
    )
    return ChowScan(
        ok=True,
        reason=None,
        series=series,
        argmax_date=series["date"].iloc[best],
        sup_f=float(f_obs[best]),  # textbook F at the robust argmax
        p_sup=(1 + exceed) / (bootstrap_draws + 1) if robust else math.nan,
        p_method=SCAN_P_METHOD,
        trim=trim,
        bootstrap_draws=bootstrap_draws,
        n_clusters=data.n_clusters,
        thin=not robust,
        thin_reason=thin or (None if robust else "the maker-robust covariance is singular at every date"),
        sup_wald=float(wald[best]) if robust else math.nan,
    )
