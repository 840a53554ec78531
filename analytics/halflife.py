"""Price half-life: log price on time by OLS or Theil-Sen, with bootstrap intervals, as-of and history."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats

from tokentide.analytics.cluster_inference import CI_METHOD_TEXT, CI_METHODS, cluster_codes, slope_interval
from tokentide.analytics.columns import utc_series, utc_timestamp, years_since
from tokentide.analytics.frames import require_columns
from tokentide.analytics.prices import PRICE_COLUMN

LN2: float = math.log(2.0)
METHODS: tuple[str, ...] = ("ols", "theil-sen")
# Chosen by the calibration suite (analytics/calibration.py, docs/calibration.md): closest to nominal
# coverage across the maker-clustered designs on the real release dates and makers.
DEFAULT_CI_METHOD: str = "wild-cluster-r"
SEN_KENDALL_TEXT: str = "Sen/Kendall distribution-free interval (assumes independent models; not maker-robust)"
MIN_POINTS: int = 5
MIN_DISTINCT_DATES: int = 2
EPOCH: pd.Timestamp = pd.Timestamp("1970-01-01", tz="UTC")


def half_life_years_from_slope(slope_per_year: float) -> float:
    """ln 2 / -slope: years for the fitted price to halve (only meaningful for a negative slope)."""
    return LN2 / -slope_per_year


def annual_decline_factor(slope_per_year: float) -> float:
    """exp(-slope): how many times cheaper the fitted price gets each year."""
    return math.exp(-slope_per_year)


@dataclass(frozen=True)
class HalfLifeFit:
    """A fit of ln(USD per Mtok) = intercept + slope * years since `origin`, or a refusal (ok=False)."""

    ok: bool
    reason: str | None
    method: str
    n: int
    n_excluded_free: int
    n_excluded_unknown: int
    n_excluded_undated: int
    n_distinct_dates: int
    slope_per_year: float = math.nan
    intercept_log_usd: float = math.nan
    origin: pd.Timestamp | None = None
    r2: float = math.nan
    slope_ci: tuple[float, float] = (math.nan, math.nan)
    ci_method: str = ""
    confidence: float = 0.95
    bootstrap_draws: int = 0
    as_of: pd.Timestamp | None = None
    window_months: int | None = None
    n_clusters: int = 0
    thin: bool = False
    thin_reason: str | None = None
    ci_df: float = math.nan

    @property
    def estimator(self) -> str:
        """What the number and its interval are, in words, for every place they are shown."""
        fit = "OLS of ln(price) on release date" if self.method == "ols" else "Theil-Sen line of ln(price) on date"
        interval = CI_METHOD_TEXT.get(self.ci_method, SEN_KENDALL_TEXT)
        return f"{fit}; {self.confidence:.0%} CI: {interval}"

    @property
    def half_life_years(self) -> float | None:
        """None unless the fitted slope is negative (no decline, no half-life)."""
        return half_life_years_from_slope(self.slope_per_year) if self.ok and self.slope_per_year < 0 else None

    @property
    def annual_decline_factor(self) -> float:
        return annual_decline_factor(self.slope_per_year) if self.ok else math.nan

    @property
    def significant_decline(self) -> bool:
        return self.ok and self.slope_ci[1] < 0

    @property
    def half_life_ci_years(self) -> tuple[float | None, float | None]:
        """(low, high) from the slope interval; high is math.inf when the slope CI reaches 0 or above,
        and both are None when the whole slope CI is >= 0 (no decline at all is plausible)."""
        low, high = self.slope_ci
        if not self.ok or math.isnan(low) or low >= 0:
            return (None, None)
        return (half_life_years_from_slope(low), half_life_years_from_slope(high) if high < 0 else math.inf)

    @property
    def message(self) -> str:
        if not self.ok:
            return f"no fit: {self.reason}"
        if self.thin:
            point = f"half-life {self.half_life_years:.2f} years" if self.half_life_years else "no fitted decline"
            return f"{point}; no interval: {self.thin_reason}"
        if not self.significant_decline:
            return f"no significant decline: the {self.confidence:.0%} CI of the slope includes 0 or is above it"
        low, high = self.half_life_ci_years
        return f"half-life {self.half_life_years:.2f} years ({self.confidence:.0%} CI {low:.2f}-{high:.2f})"

    def decline_fold_over(self, years: float) -> float:
        """How many times cheaper the fitted line is after `years`."""
        return math.exp(-self.slope_per_year * years) if self.ok else math.nan


@dataclass(frozen=True)
class _Sample:
    x_years: np.ndarray
    y_log_usd: np.ndarray
    origin: pd.Timestamp | None
    n_free: int
    n_unknown: int
    n_undated: int
    clusters: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))


@dataclass(frozen=True)
class _Points:
    """Columns of a points frame as float years since the epoch, ready for repeated as-of selection."""

    dates: pd.Series
    t_years: np.ndarray
    known_years: np.ndarray
    price: np.ndarray
    makers: np.ndarray  # cluster codes; an unknown maker is its own cluster

    @classmethod
    def read(
        cls, points: pd.DataFrame, date_col: str, price_col: str, known_col: str | None, cluster_col: str | None = None
    ) -> _Points:
        require_columns(points, (date_col, price_col), "half-life fit")
        price = points[price_col].to_numpy(dtype=float, na_value=np.nan)
        if np.any(price < 0):
            raise ValueError("half-life fit: negative prices in the points frame")
        dates = utc_series(points[date_col]).reset_index(drop=True)
        t_years = years_since(dates, EPOCH)
        if known_col is not None and known_col in points.columns:
            known_years = years_since(points[known_col], EPOCH)
        else:
            known_years = t_years
        labels = points[cluster_col] if cluster_col is not None and cluster_col in points.columns else None
        return cls(dates, t_years, known_years, price, cluster_codes(labels, len(points)))

    def sample(self, as_of: pd.Timestamp | None, window_months: int | None) -> _Sample:
        dated = ~np.isnan(self.t_years)
        price = self.price.copy()
        if as_of is not None:
            cut = float(years_since(pd.Series([as_of]), EPOCH)[0])
            dated &= ~(self.t_years > cut)
            price[~(self.known_years <= cut)] = np.nan  # not yet known at as_of
        if window_months is not None:
            anchor = as_of if as_of is not None else self.dates.max()
            start = float(years_since(pd.Series([anchor - pd.DateOffset(months=window_months)]), EPOCH)[0])
            dated &= ~(self.t_years <= start)
        used = dated & (price > 0)
        n_undated = int(np.isnan(self.t_years).sum())  # cannot be placed in time, whatever the window
        if not used.any():
            return _Sample(np.empty(0), np.empty(0), None, *self._counts(dated, price), n_undated)
        first = int(np.flatnonzero(used)[np.argmin(self.t_years[used])])
        x = self.t_years[used] - self.t_years[first]
        counts = self._counts(dated, price)
        return _Sample(x, np.log(price[used]), self.dates.iloc[first], *counts, n_undated, self.makers[used])

    @staticmethod
    def _counts(dated: np.ndarray, price: np.ndarray) -> tuple[int, int]:
        return int((dated & (price == 0)).sum()), int((dated & np.isnan(price)).sum())


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    xc = x - x.mean()
    slope = float(xc @ (y - y.mean()) / (xc @ xc))
    return slope, float(y.mean() - slope * x.mean())


def _r2(x: np.ndarray, y: np.ndarray, slope: float, intercept: float) -> float:
    total = float(((y - y.mean()) ** 2).sum())
    if total == 0.0:
        return math.nan
    return 1.0 - float(((y - intercept - slope * x) ** 2).sum()) / total


def _fit_sample(
    sample: _Sample, method: str, draws: int, seed: int, confidence: float, ci_method: str = DEFAULT_CI_METHOD
) -> HalfLifeFit:
    n_dates = int(len(np.unique(sample.x_years)))
    base = HalfLifeFit(
        ok=False,
        reason=None,
        method=method,
        n=len(sample.x_years),
        n_excluded_free=sample.n_free,
        n_excluded_unknown=sample.n_unknown,
        n_excluded_undated=sample.n_undated,
        n_distinct_dates=n_dates,
        confidence=confidence,
    )
    if base.n < MIN_POINTS:
        return replace(base, reason=f"too few priced points: {base.n} < {MIN_POINTS}")
    if n_dates < MIN_DISTINCT_DATES:
        return replace(base, reason=f"too few distinct dates: {n_dates} < {MIN_DISTINCT_DATES}")
    x, y = sample.x_years, sample.y_log_usd
    thin, thin_reason, ci_df = False, None, math.nan
    if method == "ols":
        slope, intercept = _ols(x, y)
        interval = slope_interval(
            x, y, sample.clusters, method=ci_method, draws=draws, seed=seed, confidence=confidence
        )
        ci = (interval.low, interval.high)
        thin, thin_reason, ci_df = interval.thin, interval.thin_reason, interval.df
    else:
        result = stats.theilslopes(y, x, alpha=confidence)
        slope, intercept = float(result.slope), float(result.intercept)
        ci, ci_method = (float(result.low_slope), float(result.high_slope)), "sen-kendall"
    return replace(
        base,
        n_clusters=int(len(np.unique(sample.clusters))),
        thin=thin,
        thin_reason=thin_reason,
        ci_df=ci_df,
        ok=True,
        slope_per_year=slope,
        intercept_log_usd=intercept,
        origin=sample.origin,
        r2=_r2(x, y, slope, intercept),
        slope_ci=ci,
        ci_method=ci_method,
        bootstrap_draws=draws if method == "ols" and "cr2" not in ci_method else 0,
    )


def _check_method(method: str, ci_method: str = DEFAULT_CI_METHOD) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown fit method {method!r}; choose one of {METHODS}")
    if ci_method not in CI_METHODS:
        raise ValueError(f"unknown interval method {ci_method!r}; choose one of {CI_METHODS}")


def fit_half_life(
    points: pd.DataFrame,
    *,
    method: str = "ols",
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    known_col: str | None = "launch_at",
    as_of: object | None = None,
    window_months: int | None = None,
    bootstrap_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    ci_method: str = DEFAULT_CI_METHOD,
    cluster_col: str | None = "author",
) -> HalfLifeFit:
    """Fit ln(price) on years for a points frame (e.g. `launch_prices` output), one point per row.

    Free (0) prices are excluded (ln 0 is undefined) and unknown (NaN) ones too; both are counted, as are
    rows without a date. With `as_of`, only points dated on or before it whose price was known by then
    (`known_col` <= as_of, e.g. launch_at) are used; others count as unknown. With `window_months`, only
    points dated within that many months before as_of (or before the latest date) are used.
    OLS gets a maker-robust CI by `ci_method` (default DEFAULT_CI_METHOD, chosen by calibration; clusters
    from `cluster_col`, an unknown maker its own cluster); with fewer than 6 makers there is no interval
    and thin=True with a reason. Theil-Sen gets the distribution-free Sen/Kendall CI
    from scipy.stats.theilslopes. Fewer than 5 points or 2 distinct dates gives ok=False with a reason.
    """
    _check_method(method, ci_method)
    cut = utc_timestamp(as_of) if as_of is not None else None
    sample = _Points.read(points, date_col, price_col, known_col, cluster_col).sample(cut, window_months)
    fit = _fit_sample(sample, method, bootstrap_draws, seed, confidence, ci_method)
    return replace(fit, as_of=cut, window_months=window_months)


def half_life_history(
    points: pd.DataFrame,
    *,
    start: object,
    end: object,
    freq: str = "MS",
    method: str = "ols",
    date_col: str = "release_date",
    price_col: str = PRICE_COLUMN,
    known_col: str | None = "launch_at",
    window_months: int | None = None,
    bootstrap_draws: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    ci_method: str = DEFAULT_CI_METHOD,
    cluster_col: str | None = "author",
) -> pd.DataFrame:
    """One as-of estimate per date in pd.date_range(start, end, freq) ('MS' monthly, 'D' daily).

    Every estimate uses the same seed, so changes between dates come from the data, not the resampling;
    dates whose point set did not change reuse the previous fit. Columns: as_of, ok, reason, n,
    n_excluded_free, n_excluded_unknown, slope_per_year, half_life_years, ci_low_years, ci_high_years
    (inf = unbounded), r2, significant_decline, method, window_months.
    """
    _check_method(method, ci_method)
    table = _Points.read(points, date_col, price_col, known_col, cluster_col)
    cache: dict[tuple[object, ...], HalfLifeFit] = {}
    rows = []
    for as_of in pd.date_range(utc_timestamp(start), utc_timestamp(end), freq=freq):
        sample = table.sample(as_of, window_months)
        key = (sample.origin, sample.x_years.tobytes(), sample.y_log_usd.tobytes(), sample.n_free, sample.n_unknown)
        if key not in cache:
            cache[key] = _fit_sample(sample, method, bootstrap_draws, seed, confidence, ci_method)
        rows.append(_history_row(replace(cache[key], as_of=as_of, window_months=window_months)))
    return pd.DataFrame(rows, columns=list(_HISTORY_COLUMNS))


_HISTORY_COLUMNS: tuple[str, ...] = (
    "as_of", "ok", "reason", "n", "n_excluded_free", "n_excluded_unknown", "slope_per_year",
    "half_life_years", "ci_low_years", "ci_high_years", "r2", "significant_decline", "method", "window_months",
    "ci_method", "n_clusters", "thin", "thin_reason",
)  # fmt: skip


def _history_row(fit: HalfLifeFit) -> dict[str, object]:
    low, high = fit.half_life_ci_years
    return {
        "as_of": fit.as_of,
        "ok": fit.ok,
        "reason": fit.reason,
        "n": fit.n,
        "n_excluded_free": fit.n_excluded_free,
        "n_excluded_unknown": fit.n_excluded_unknown,
        "slope_per_year": fit.slope_per_year,
        "half_life_years": fit.half_life_years,
        "ci_low_years": low,
        "ci_high_years": high,
        "r2": fit.r2,
        "significant_decline": fit.significant_decline,
        "method": fit.method,
        "window_months": fit.window_months,
        "ci_method": fit.ci_method,
        "n_clusters": fit.n_clusters,
        "thin": fit.thin,
        "thin_reason": fit.thin_reason,
    }
