"""Planted-truth calibration of half-life intervals and Chow tests on the real release dates and makers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tokentide.analytics.breaks import chow_scan, chow_test
from tokentide.analytics.cluster_inference import CI_METHODS, cluster_codes, slope_interval
from tokentide.analytics.frames import TIERS, require_columns
from tokentide.analytics.prices import PRICE_COLUMN
from tokentide.analytics.tiers import get_tier_rule

# Planted lines, ln(USD per Mtok) = intercept + slope x years since the first release; close to the OLS
# fits of the curated table (economy -0.32/y, mid -0.13/y, flagship -0.64/y, all models -0.27/y).
PLANTED_TIER_LINES: dict[str, tuple[float, float]] = {
    "economy": (0.4, -0.32),
    "mid": (1.1, -0.13),
    "flagship": (4.7, -0.64),
}
PLANTED_NULL_LINE: tuple[float, float] = (1.8, -0.27)  # one line for all models: no break, for Chow size
RESIDUAL_VARIANCE: float = 1.2  # ln-price residual variance around the tier lines on the curated table
BREAK_DATE: str = "2024-05-01"
SCOPES: tuple[str, ...] = ("all models", "planted tiers", "price-band tiers")
CHOW_TESTS: tuple[str, ...] = ("chow-fixed-date (wild cluster)", "sup-F scan (wild cluster)", "chow-fixed-date (iid F)")


@dataclass(frozen=True)
class Design:
    """One planted-truth design: the maker effect's share of residual variance, and how makers and dates
    are laid out."""

    name: str
    description: str
    maker_share: float
    short_lived: bool = False
    thin_before: str | None = None
    thin_keep: float = 1.0


DESIGNS: tuple[Design, ...] = (
    Design("maker share 0.25", "real dates and makers; maker effect 25% of residual variance", 0.25),
    Design("maker share 0.6", "real dates and makers; maker effect 60% of residual variance", 0.6),
    Design(
        "short-lived makers",
        "real dates; makers re-drawn as consecutive runs of releases (each active only briefly) with the "
        "real maker sizes; maker share 0.6",
        0.6,
        short_lived=True,
    ),
    Design(
        "thin periods",
        "real dates and makers, but each release before 2025 kept with probability 0.4; maker share 0.25",
        0.25,
        thin_before="2025-01-01",
        thin_keep=0.4,
    ),
)


def design_models(milestones: pd.DataFrame) -> pd.DataFrame:
    """One row per launched model of the curated table: model_id, author, tier, release_date, t_years."""
    require_columns(milestones, ("model_id", "author", "tier", "release_date", "event"), "calibration design")
    launches = milestones[milestones["event"] == "launch"].drop_duplicates("model_id")
    launches = launches[launches["tier"].isin(TIERS) & launches["release_date"].notna()]
    dates = pd.to_datetime(launches["release_date"], utc=True)
    out = pd.DataFrame(
        {
            "model_id": launches["model_id"].to_numpy(),
            "author": launches["author"].to_numpy(),
            "tier": launches["tier"].to_numpy(),
            "release_date": dates.to_numpy(),
        }
    ).sort_values("release_date", kind="stable", ignore_index=True)
    out["release_date"] = pd.to_datetime(out["release_date"], utc=True)
    out["t_years"] = (out["release_date"] - out["release_date"].min()).dt.days.to_numpy() / 365.25
    return out


def _short_lived_makers(models: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    sizes = models["author"].value_counts().to_numpy()
    runs = np.repeat(np.arange(len(sizes)), rng.permutation(sizes))
    return runs  # models are sorted by date, so each maker is a consecutive run of releases


def simulate(models: pd.DataFrame, design: Design, rng: np.random.Generator) -> pd.DataFrame:
    """One planted-truth sample: the design's models with y_tiers (tier lines) and y_null (one line), both
    ln-prices with the same maker effects and noise, and a `maker` code."""
    keep = np.ones(len(models), dtype=bool)
    if design.thin_before is not None:
        early = (models["release_date"] < pd.Timestamp(design.thin_before, tz="UTC")).to_numpy()
        keep &= ~early | (rng.random(len(models)) < design.thin_keep)
    makers = _short_lived_makers(models, rng) if design.short_lived else cluster_codes(models["author"], len(models))
    n_makers = int(makers.max()) + 1
    maker_effect = rng.normal(0.0, math.sqrt(design.maker_share * RESIDUAL_VARIANCE), n_makers)[makers]
    noise = rng.normal(0.0, math.sqrt((1.0 - design.maker_share) * RESIDUAL_VARIANCE), len(models))
    t = models["t_years"].to_numpy()
    lines = np.array([PLANTED_TIER_LINES[tier] for tier in models["tier"]])
    out = models.assign(maker=makers)
    out["y_tiers"] = lines[:, 0] + lines[:, 1] * t + maker_effect + noise
    out["y_null"] = PLANTED_NULL_LINE[0] + PLANTED_NULL_LINE[1] * t + maker_effect + noise
    return out[keep].reset_index(drop=True)


def _half_life_error(slope: float, true_slope: float) -> float:
    if slope >= 0:
        return math.inf
    return abs(true_slope / slope - 1.0)  # |hl_hat - hl| / hl with hl = ln2 / -slope


def _fit_records(
    x: np.ndarray, y: np.ndarray, makers: np.ndarray, true_slope: float, methods: Sequence[str], draws: int, seed: int
) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for method in methods:
        got = slope_interval(x, y, makers, method=method, draws=draws, seed=seed)
        covered = None if got.thin or math.isnan(got.low) else bool(got.low <= true_slope <= got.high)
        error = _half_life_error(got.slope, true_slope)
        records.append({"method": method, "covered": covered, "thin": got.thin, "half_life_rel_error": error})
    return records


def _tier_fits(sample: pd.DataFrame, tiers: pd.Series, methods: Sequence[str], draws: int, seed: int) -> list[dict]:
    records = []
    for tier in TIERS:
        part = sample[(tiers == tier).to_numpy()]
        if len(part) < 5 or part["t_years"].nunique() < 2:
            continue
        true_slope = PLANTED_TIER_LINES[tier][1]
        x, y, makers = part["t_years"].to_numpy(), part["y_tiers"].to_numpy(), part["maker"].to_numpy()
        records += [r | {"group": tier} for r in _fit_records(x, y, makers, true_slope, methods, draws, seed)]
    return records


def _price_band_tiers(sample: pd.DataFrame) -> pd.Series:
    frame = pd.DataFrame({"release_date": sample["release_date"], PRICE_COLUMN: np.exp(sample["y_tiers"])})
    return get_tier_rule("price-band").assign(frame)["tier"]


def _chow_records(sample: pd.DataFrame, draws: int, seed: int) -> list[dict[str, object]]:
    points = pd.DataFrame(
        {"release_date": sample["release_date"], PRICE_COLUMN: np.exp(sample["y_null"]), "author": sample["maker"]}
    )
    fixed = chow_test(points, BREAK_DATE, bootstrap_draws=draws, seed=seed)
    scan = chow_scan(points, bootstrap_draws=draws, seed=seed)
    p_values = (fixed.p if fixed.ok else math.nan, scan.p_sup if scan.ok else math.nan, fixed.p_iid)
    return [{"test": test, "p": p} for test, p in zip(CHOW_TESTS, p_values, strict=True)]


def run_seed(
    models: pd.DataFrame, design: Design, seed: int, methods: Sequence[str] = CI_METHODS, draws: int = 399
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Fit records (scope, group, method, covered, thin, half_life_rel_error) and Chow records (test, p)
    for one seed of one design."""
    sample = simulate(models, design, np.random.default_rng([seed, DESIGNS.index(design) if design in DESIGNS else 99]))
    x, makers = sample["t_years"].to_numpy(), sample["maker"].to_numpy()
    fits = [
        r | {"scope": "all models", "group": "all"}
        for r in _fit_records(x, sample["y_null"].to_numpy(), makers, PLANTED_NULL_LINE[1], methods, draws, seed)
    ]
    fits += [r | {"scope": "planted tiers"} for r in _tier_fits(sample, sample["tier"], methods, draws, seed)]
    fits += [
        r | {"scope": "price-band tiers"} for r in _tier_fits(sample, _price_band_tiers(sample), methods, draws, seed)
    ]
    return fits, _chow_records(sample, draws, seed)


def run_calibration(
    models: pd.DataFrame,
    *,
    seeds: int,
    designs: Sequence[Design] = DESIGNS,
    methods: Sequence[str] = CI_METHODS,
    draws: int = 399,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(fit records, Chow records) over `seeds` seeds of each design, each tagged with its design name."""
    fits, chows = [], []
    for design in designs:
        for seed in range(seeds):
            fit_rows, chow_rows = run_seed(models, design, seed, methods, draws)
            fits += [r | {"design": design.name, "seed": seed} for r in fit_rows]
            chows += [r | {"design": design.name, "seed": seed} for r in chow_rows]
    return pd.DataFrame(fits), pd.DataFrame(chows)


def coverage_table(fits: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per design, scope and method: fits, thin share, coverage (over fits with an interval) and its
    binomial SE at the nominal level, median relative error of the half-life."""
    rows = []
    for (design, scope, method), part in fits.groupby(["design", "scope", "method"], sort=False):
        judged = part["covered"].dropna().astype(bool)
        n = len(judged)
        rows.append(
            {
                "design": design,
                "scope": scope,
                "method": method,
                "n_fits": len(part),
                "thin_share": float(part["thin"].mean()),
                "coverage": float(judged.mean()) if n else math.nan,
                "coverage_se": math.sqrt(confidence * (1 - confidence) / n) if n else math.nan,
                "median_half_life_rel_error": float(np.median(part["half_life_rel_error"])),
            }
        )
    return pd.DataFrame(rows)


def chow_size_table(chows: pd.DataFrame, level: float = 0.05) -> pd.DataFrame:
    """Per design and test: share of seeds rejecting at `level` under the no-break null (its size)."""
    rows = []
    for (design, test), part in chows.groupby(["design", "test"], sort=False):
        p = part["p"].dropna()
        size = float((p < level).mean()) if len(p) else math.nan
        rows.append({"design": design, "test": test, "n": len(p), "size": size})
    return pd.DataFrame(rows)
