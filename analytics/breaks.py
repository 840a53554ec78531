"""Structural breaks in the log-price trend: a Chow test at a date and a sup-F scan over dates."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from tokentide.analytics.columns import utc_series, utc_timestamp, years_since
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import PRICE_COLUMN

DEFAULT_BREAK_DATE: str = "2024-05-01"
N_PARAMS: int = 2  # intercept and slope of ln(price) on years
MIN_POINTS_PER_SIDE: int = N_PARAMS + 1  # each side needs residual degrees of freedom
DEFAULT_TRIM: float = 0.15
SCAN_P_METHOD: str = "residual bootstrap under the no-break null (iid errors), seeded"
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


def _log_points(points: pd.DataFrame, date_col: str, price_col: str) -> _LogPoints:
    require_columns(points, (date_col, price_col), "structural break test")
    price = points[price_col].to_numpy(dtype=float, na_value=np.nan)
    dates = utc_series(points[date_col]).reset_index(drop=True)
    dated = dates.notna().to_numpy()
    used = dated & (price > 0)
    order = np.argsort(years_since(dates[used], dates[used].min()) if used.any() else [], kind="stable")
    kept = dates[used].iloc[order].reset_index(drop=True)
    x = years_since(kept, kept.min()) if len(kept) else np.empty(0)
    n_free, n_unknown = int((dated & (price == 0)).sum()), int((~dated | np.isnan(price)).sum())
    return _LogPoints(x, np.log(price[used][order]), kept, n_free, n_unknown)


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
) -> ChowResult:
    """Chow test for a break in ln(price) on years at `break_date`; free and unknown prices excluded.

    F = ((SSR_pooled - SSR_before - SSR_after) / 2) / ((SSR_before + SSR_after) / (n - 4)), p from the F
    distribution (exact under iid normal errors). Refuses (ok=False) when a side has fewer than
    `min_points_per_side` points (at least 3) or fewer than 2 distinct dates.
    """
    data = _log_points(points, date_col, price_col)
    moment = utc_timestamp(break_date)
    before = (data.dates < moment).to_numpy()
    n_before, n_after = int(before.sum()), int((~before).sum())
    df_den = n_before + n_after - 2 * N_PARAMS
    base = dict(break_date=moment, df_num=N_PARAMS, df_den=df_den, n_before=n_before, n_after=n_after)
    base |= {"n_excluded_free": data.n_free, "n_excluded_unknown": data.n_unknown}
    need = max(min_points_per_side, MIN_POINTS_PER_SIDE)
    x, y = data.x_years, data.y_log_usd
    problem = _side_problem(x[before], "before", need) or _side_problem(x[~before], "after", need)
    if problem:
        return ChowResult(False, problem, f=math.nan, p=math.nan, **base)
    ssr_split = _ssr(x[before], y[before]) + _ssr(x[~before], y[~before])
    if ssr_split <= 0:
        return ChowResult(False, "both sides fit exactly; F is undefined", f=math.nan, p=math.nan, **base)
    f = max(_ssr(x, y) - ssr_split, 0.0) / N_PARAMS / (ssr_split / df_den)
    return ChowResult(True, None, f=f, p=float(stats.f.sf(f, N_PARAMS, df_den)), **base)


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


def _null_sup_f(x: np.ndarray, y: np.ndarray, splits: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """sup-F of `draws` series of null-model residuals resampled with replacement (seeded, chunked)."""
    xc = x - x.mean()
    residuals = y - y.mean() - (xc @ y / (xc @ xc)) * xc
    rng = np.random.default_rng(seed)
    chunk = max(1, _CELLS // len(x))
    sups = [
        _split_f(x, residuals[rng.integers(0, len(x), size=(min(chunk, draws - start), len(x)))], splits).max(axis=1)
        for start in range(0, draws, chunk)
    ]
    return np.concatenate(sups) if sups else np.empty(0)


def chow_scan(
    points: pd.DataFrame,
    *,
    trim: float = DEFAULT_TRIM,
    bootstrap_draws: int = 499,
    seed: int = 0,
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    min_points_per_side: int = MIN_POINTS_PER_SIDE,
) -> ChowScan:
    """Chow F at each distinct date that leaves `trim` of the points (and at least 3) on each side.

    The break estimate is the argmax date. Its p-value p_sup compares the observed sup-F with sup-F of
    series built from the null-model residuals resampled with replacement (F does not depend on the
    null line, so the residuals alone suffice): p = (1 + #{sup-F* >= sup-F}) / (draws + 1).
    """
    if not 0.0 <= trim < 0.5:
        raise ValueError(f"trim must be in [0, 0.5), got {trim}")
    data = _log_points(points, date_col, price_col)
    x, y = data.x_years, data.y_log_usd
    splits = _candidate_splits(x, trim, max(min_points_per_side, MIN_POINTS_PER_SIDE))
    empty = pd.DataFrame(columns=["date", "f", "p_pointwise", "n_before", "n_after"])
    if len(splits) == 0:
        reason = f"no candidate date leaves enough points on both sides ({len(x)} priced points, trim {trim})"
        return ChowScan(False, reason, empty, None, math.nan, math.nan, SCAN_P_METHOD, trim, bootstrap_draws)
    f_obs = _split_f(x, y[np.newaxis, :], splits)[0]
    best = int(np.argmax(f_obs))
    exceed = int((_null_sup_f(x, y, splits, bootstrap_draws, seed) >= f_obs[best]).sum())
    series = pd.DataFrame(
        {
            "date": data.dates.iloc[splits].reset_index(drop=True),
            "f": f_obs,
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
        sup_f=float(f_obs[best]),
        p_sup=(1 + exceed) / (bootstrap_draws + 1),
        p_method=SCAN_P_METHOD,
        trim=trim,
        bootstrap_draws=bootstrap_draws,
    )
