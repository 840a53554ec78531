"""Price of a fixed capability: the cheapest model at or above a benchmark threshold, and its fitted decline."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats

from tokentide.analytics.capability_intervals import selection_interval, selection_slope_errors
from tokentide.analytics.frames import require_columns

# One row per (model, date, price) candidate point; a price cut of a model is a further row of that model.
POINT_COLUMNS: tuple[str, ...] = (
    "model",  # str, the model's display name or canonical id
    "date",  # datetime64, when this price became available (release date, or a later price cut)
    "usd_per_mtok_blended",  # float, 3:1 input:output blend (or as the source lists it), > 0
    "score",  # float, the model's score on the benchmark in question
)
MIN_NEW_LOWS: int = 4  # Epoch's `min_num_data_points_for_regression`
CI_LEVEL: float = 0.90
ENTRY_RULES: tuple[str, ...] = ("new-lows", "all-qualifying")
CI_METHODS: tuple[str, ...] = ("ols-t", "bootstrap", "selection-bootstrap")
START_RULES: tuple[str, ...] = ("threshold-release", "first-qualifying")
BOOTSTRAP_DRAWS: int = 2000
# Epoch's price-trend fit counts time as days / 365 (its published factors are reproduced exactly with it).
DAYS_PER_YEAR: float = 365.0


@dataclass(frozen=True)
class CapabilityMethod:
    """How the trend is fitted. The defaults are Epoch AI's choices (llm-benchmark-efficiency, 2025).

    entry: "new-lows" = only models cheaper than every earlier qualifying model enter the fit (Epoch);
        "all-qualifying" = every model at or above the threshold.
    start: "threshold-release" = models released before the threshold model are ignored (Epoch);
        "first-qualifying" = from the first model at or above the threshold.
    ci: "ols-t" = the OLS slope's t interval with n - 2 degrees of freedom (Epoch, statsmodels
        conf_int); "bootstrap" = percentiles of the slope over resampled points (case bootstrap);
        "selection-bootstrap" = simulates the new-low selection around the qualifying models' common trend
        (capability_intervals.py), the interval that holds its level in calibration.
    exclude_reasoning: leave out reasoning models (o1, o3-mini, DeepSeek-R1...), whose answers spend
        many more tokens, so a price per token understates their price per answer (Epoch excludes them).
    """

    entry: str = "new-lows"
    start: str = "threshold-release"
    ci: str = "ols-t"
    exclude_reasoning: bool = True
    min_points: int = MIN_NEW_LOWS
    ci_level: float = CI_LEVEL
    bootstrap_draws: int = BOOTSTRAP_DRAWS
    seed: int = 20241021

    def __post_init__(self) -> None:
        if self.entry not in ENTRY_RULES:
            raise ValueError(f"entry must be one of {ENTRY_RULES}, not {self.entry!r}")
        if self.start not in START_RULES:
            raise ValueError(f"start must be one of {START_RULES}, not {self.start!r}")
        if self.ci not in CI_METHODS:
            raise ValueError(f"ci must be one of {CI_METHODS}, not {self.ci!r}")
        if self.min_points < 3:
            raise ValueError("a fit with a CI needs at least 3 points")
        if not 0.0 < self.ci_level < 1.0:
            raise ValueError("ci_level must lie between 0 and 1")

    @property
    def is_epoch(self) -> bool:
        return (self.entry, self.start, self.ci, self.exclude_reasoning) == (
            "new-lows", "threshold-release", "ols-t", True
        )  # fmt: skip

    def describe(self) -> str:
        entry = {
            "new-lows": "models that set a new low price among models at or above the threshold",
            "all-qualifying": "every model at or above the threshold",
        }[self.entry]
        start = {
            "threshold-release": "released on or after the threshold model",
            "first-qualifying": "from the first qualifying model on",
        }[self.start]
        ci = {
            "ols-t": f"OLS on log10 price vs. date, {self.ci_level:.0%} t interval of the slope (n - 2 df)",
            "bootstrap": f"OLS on log10 price vs. date, {self.ci_level:.0%} percentile interval of the slope "
            f"over {self.bootstrap_draws} case-bootstrap resamples",
            "selection-bootstrap": f"OLS on log10 price vs. date, {self.ci_level:.0%} selection-aware interval "
            f"({self.bootstrap_draws} simulated markets around the qualifying models' trend)",
        }[self.ci]
        basis = " (Epoch AI's method)" if self.is_epoch else ""
        reasoning = "reasoning models excluded" if self.exclude_reasoning else "reasoning models included"
        return f"Fit: {entry}, {start}, {reasoning}; {ci}; at least {self.min_points} points{basis}."


@dataclass(frozen=True)
class Threshold:
    """A capability level: a score on a benchmark, optionally named after the model that set it."""

    benchmark: str
    score: float
    model: str | None = None
    start_date: pd.Timestamp | None = None  # the threshold model's release date

    @property
    def label(self) -> str:
        return f"{self.model}-level" if self.model else f"score ≥ {self.score:g}"


@dataclass(frozen=True)
class TrendFit:
    """log10(price) = intercept + slope * year; factor per year = 10 ** -slope."""

    n: int
    slope_log10_per_year: float
    intercept_log10: float
    factor_per_year: float
    factor_ci_low: float
    factor_ci_high: float
    r_squared: float
    estimator: str
    ci_level: float = CI_LEVEL


@dataclass(frozen=True)
class CapabilityTrend:
    """The price of one capability level over time."""

    threshold: Threshold
    method: CapabilityMethod
    qualifying: pd.DataFrame  # every point at or above the threshold in the window, with `new_low`
    new_lows: pd.DataFrame  # the points that set each new low (the fitted points under "new-lows")
    fit: TrendFit | None
    thin_reason: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_fitted(self) -> int:
        return self.fit.n if self.fit else len(self.fit_points())

    def fit_points(self) -> pd.DataFrame:
        return self.new_lows if self.method.entry == "new-lows" else self.qualifying

    @property
    def start_date(self) -> pd.Timestamp | None:
        points = self.fit_points()
        return None if points.empty else pd.Timestamp(points["date"].min())

    @property
    def end_date(self) -> pd.Timestamp | None:
        points = self.fit_points()
        return None if points.empty else pd.Timestamp(points["date"].max())


def float_year(dates: pd.Series) -> np.ndarray:
    """Dates as years since 1970-01-01, counting a year as 365 days (Epoch's convention)."""
    days = (pd.to_datetime(dates) - pd.Timestamp("1970-01-01")).dt.days
    return days.to_numpy(dtype=float) / DAYS_PER_YEAR


def log10_slope_to_factor_per_year(slope_log10_per_year: float) -> float:
    """A fitted slope of log10 price per year -> the factor by which the price falls each year."""
    return float(10.0 ** (-slope_log10_per_year))


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """(slope, intercept, slope standard error, r squared) of y on x."""
    result = stats.linregress(x, y)
    return float(result.slope), float(result.intercept), float(result.stderr), float(result.rvalue**2)


def _bootstrap_slopes(x: np.ndarray, y: np.ndarray, method: CapabilityMethod) -> np.ndarray:
    rng = np.random.default_rng(method.seed)
    picks = rng.integers(0, len(x), size=(method.bootstrap_draws, len(x)))
    xs, ys = x[picks], y[picks]
    x_centred = xs - xs.mean(axis=1, keepdims=True)
    denominator = (x_centred**2).sum(axis=1)
    usable = denominator > 0  # a resample of a single distinct date has no slope
    slopes = (x_centred * (ys - ys.mean(axis=1, keepdims=True))).sum(axis=1)
    return slopes[usable] / denominator[usable]


def _slope_interval(
    x: np.ndarray, y: np.ndarray, slope: float, stderr: float, method: CapabilityMethod, market: pd.DataFrame | None
) -> tuple[float, float, str] | tuple[float, float, str, float] | None:
    """(low, high, estimator text[, corrected slope]) of the slope under the method's interval; None when it
    cannot be made. The selection-aware interval also corrects the slope itself."""
    alpha = 1.0 - method.ci_level
    if method.ci == "ols-t":
        t_crit = float(stats.t.ppf(1.0 - alpha / 2.0, len(x) - 2))
        return (
            slope - t_crit * stderr,
            slope + t_crit * stderr,
            f"OLS slope, {method.ci_level:.0%} t interval (df = {len(x) - 2})",
        )
    if method.ci == "bootstrap":
        slopes = _bootstrap_slopes(x, y, method)
        low, high = (float(v) for v in np.quantile(slopes, [alpha / 2.0, 1.0 - alpha / 2.0]))
        return low, high, f"OLS slope, {method.ci_level:.0%} case-bootstrap percentile interval ({len(slopes)} draws)"
    if market is None or len(market) < 3:
        return None
    _, errors = selection_slope_errors(
        float_year(market["date"]), np.log10(market["usd_per_mtok_blended"].to_numpy(dtype=float)),
        new_lows_only=method.entry == "new-lows", draws=method.bootstrap_draws, min_points=method.min_points,
        seed=method.seed,
    )  # fmt: skip
    interval = selection_interval(slope, errors, method.ci_level)
    if interval is None:
        return None
    text = (
        f"OLS slope corrected for the new-low selection's bias, {method.ci_level:.0%} selection-aware bootstrap "
        f"interval ({len(errors)} simulated markets)"
    )
    return interval[0], interval[1], text, interval[2]


def fit_trend(points: pd.DataFrame, method: CapabilityMethod, market: pd.DataFrame | None = None) -> TrendFit | None:
    """OLS of log10 price on time, with the method's interval for the slope (`market`: all qualifying points,
    which the selection-aware interval simulates). None when the interval cannot be made."""
    x = float_year(points["date"])
    y = np.log10(points["usd_per_mtok_blended"].to_numpy(dtype=float))
    slope, intercept, stderr, r_squared = _ols(x, y)
    interval = _slope_interval(x, y, slope, stderr, method, market)
    if interval is None:
        return None
    slope_low, slope_high, estimator = interval[:3]
    if len(interval) == 4:  # the selection-corrected slope; the line still passes through the points' centre
        slope = interval[3]
        intercept = float(y.mean() - slope * x.mean())
    return TrendFit(
        n=len(x),
        slope_log10_per_year=slope,
        intercept_log10=intercept,
        factor_per_year=log10_slope_to_factor_per_year(slope),
        factor_ci_low=log10_slope_to_factor_per_year(slope_high),
        factor_ci_high=log10_slope_to_factor_per_year(slope_low),
        r_squared=r_squared,
        estimator=estimator,
        ci_level=method.ci_level,
    )


def qualifying_points(points: pd.DataFrame, threshold: Threshold, method: CapabilityMethod) -> pd.DataFrame:
    """Points at or above the threshold, in date order, each flagged `new_low` if cheaper than all before."""
    require_columns(points, POINT_COLUMNS, "price of capability")
    usable = points[points["score"].notna() & (points["usd_per_mtok_blended"] > 0) & points["date"].notna()]
    if method.exclude_reasoning and "is_reasoning" in usable.columns:
        usable = usable[usable["is_reasoning"].fillna(False).astype(bool).eq(False)]
    frame = usable[usable["score"].astype(float) >= threshold.score].copy()
    frame["date"] = pd.to_datetime(frame["date"])
    if method.start == "threshold-release" and threshold.start_date is not None:
        frame = frame[frame["date"] >= pd.Timestamp(threshold.start_date)]
    # Within a day the cheapest comes first, so only a day's cheapest model can set that day's new low.
    frame = frame.sort_values(["date", "usd_per_mtok_blended"], kind="stable").reset_index(drop=True)
    running_min = frame["usd_per_mtok_blended"].astype(float).cummin().shift(1, fill_value=np.inf)
    frame["new_low"] = frame["usd_per_mtok_blended"].astype(float) < running_min
    return frame


def _thin_reason(fit_points: pd.DataFrame, method: CapabilityMethod) -> str | None:
    what = "new lows" if method.entry == "new-lows" else "qualifying models"
    if len(fit_points) < method.min_points:
        return f"only {len(fit_points)} {what} (a fit needs at least {method.min_points}); no trend or interval shown"
    if fit_points["date"].nunique() < 2:
        return f"all {what} share one date; no trend can be fitted"
    return None


def price_of_capability(
    points: pd.DataFrame, threshold: Threshold, method: CapabilityMethod | None = None
) -> CapabilityTrend:
    """The cheapest qualifying price over time, the models that set each new low, and the fitted decline."""
    method = method or CapabilityMethod()
    qualifying = qualifying_points(points, threshold, method)
    new_lows = qualifying[qualifying["new_low"]].reset_index(drop=True)
    fit_points = new_lows if method.entry == "new-lows" else qualifying
    reason = _thin_reason(fit_points, method)
    fit = None if reason else fit_trend(fit_points, method, qualifying)
    if fit is None and reason is None:
        reason = "too few simulated markets could be fitted for the selection-aware interval; no trend shown"
    return CapabilityTrend(threshold, method, qualifying, new_lows, fit, reason)


def cheapest_step(trend: CapabilityTrend, until: pd.Timestamp | None = None) -> pd.DataFrame:
    """The step line of the cheapest qualifying price: one row per new low, held until the next one."""
    lows = trend.new_lows[["date", "model", "usd_per_mtok_blended"]].copy()
    if lows.empty:
        return lows.assign(until=pd.Series(dtype="datetime64[ns]"))
    lows["until"] = lows["date"].shift(-1)
    if until is not None:
        lows.loc[lows.index[-1], "until"] = pd.Timestamp(until)
    return lows.reset_index(drop=True)


def fitted_line(trend: CapabilityTrend, n_points: int = 50) -> pd.DataFrame:
    """The fitted price and its pointwise band (the slope's CI, pivoting at the fitted points' mean date)."""
    if trend.fit is None:
        return pd.DataFrame(columns=["date", "usd_per_mtok_fitted", "usd_per_mtok_low", "usd_per_mtok_high"])
    points = trend.fit_points()
    dates = pd.date_range(points["date"].min(), points["date"].max(), periods=n_points)
    x = float_year(pd.Series(dates))
    x_mean = float(np.mean(float_year(points["date"])))
    fit = trend.fit
    centre = fit.intercept_log10 + fit.slope_log10_per_year * x
    slope_low, slope_high = -np.log10(fit.factor_ci_high), -np.log10(fit.factor_ci_low)
    y_mean = fit.intercept_log10 + fit.slope_log10_per_year * x_mean
    a, b = y_mean + slope_low * (x - x_mean), y_mean + slope_high * (x - x_mean)
    return pd.DataFrame(
        {
            "date": dates,
            "usd_per_mtok_fitted": 10.0**centre,
            "usd_per_mtok_low": 10.0 ** np.minimum(a, b),
            "usd_per_mtok_high": 10.0 ** np.maximum(a, b),
        }
    )


def threshold_for_model(points: pd.DataFrame, benchmark: str, model: str) -> Threshold | None:
    """The threshold a reference model sets: its score and its first release (None if it has no score)."""
    rows = points[(points["model"] == model) & points["score"].notna()].sort_values("date", kind="stable")
    if rows.empty:
        return None
    first = rows.iloc[0]
    return Threshold(benchmark, float(first["score"]), model, pd.Timestamp(first["date"]))


def with_method(trend: CapabilityTrend, points: pd.DataFrame, **changes: object) -> CapabilityTrend:
    """The same threshold refitted under a changed method (e.g. ci="bootstrap")."""
    return price_of_capability(points, trend.threshold, replace(trend.method, **changes))  # type: ignore[arg-type]
