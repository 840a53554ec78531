"""`make calibrate`: run the planted-truth calibration and write docs/calibration.md and the packaged table."""

from __future__ import annotations

import argparse
import io
import math
import time
from importlib import resources
from pathlib import Path

import pandas as pd

from tokentide.analytics.calibration import (
    BREAK_DATE,
    DESIGNS,
    PLANTED_TIER_LINES,
    RESIDUAL_VARIANCE,
    chow_size_table,
    coverage_table,
    design_models,
    run_calibration,
)
from tokentide.analytics.cluster_inference import CI_METHOD_TEXT, MIN_CLUSTERS
from tokentide.analytics.halflife import DEFAULT_CI_METHOD

COVERAGE_FILE: str = "calibration_coverage.csv"
CHOW_FILE: str = "calibration_chow.csv"
TARGET: tuple[float, float] = (0.93, 0.97)
CHOW_TARGET: float = 0.06


def curated_models() -> pd.DataFrame:
    """The curated table's launched models (real release dates, makers and tiers)."""
    raw = resources.files("tokentide.warehouse").joinpath("reference", "milestones.csv").read_bytes()
    return design_models(pd.read_csv(io.BytesIO(raw)))


def packaged_tables() -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The coverage and Chow-size tables written by the last `make calibrate`, or None if never run."""
    folder = resources.files("tokentide.reporting")
    try:
        coverage = pd.read_csv(io.BytesIO(folder.joinpath(COVERAGE_FILE).read_bytes()))
        chow = pd.read_csv(io.BytesIO(folder.joinpath(CHOW_FILE).read_bytes()))
    except FileNotFoundError:
        return None
    return coverage, chow


def _pct(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{100 * value:.1f} %"


def _coverage_markdown(coverage: pd.DataFrame) -> str:
    lines = [
        "| design | scope | method | fits | thin | coverage (± binomial SE) | median rel. error of half-life |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for row in coverage.itertuples():
        mark = " **(default)**" if row.method == DEFAULT_CI_METHOD else ""
        lines.append(
            f"| {row.design} | {row.scope} | {row.method}{mark} | {row.n_fits} | {_pct(row.thin_share)} | "
            f"{_pct(row.coverage)} ± {_pct(row.coverage_se)} | {_pct(row.median_half_life_rel_error)} |"
        )
    return "\n".join(lines)


def _chow_markdown(chow: pd.DataFrame) -> str:
    lines = ["| design | test | seeds | size at nominal 5 % |", "| --- | --- | ---: | ---: |"]
    lines += [f"| {r.design} | {r.test} | {r.n} | {_pct(r.size)} |" for r in chow.itertuples()]
    return "\n".join(lines)


def _verdict(coverage: pd.DataFrame, chow: pd.DataFrame) -> str:
    default = coverage[(coverage["method"] == DEFAULT_CI_METHOD) & (coverage["scope"] != "price-band tiers")]
    inside = default["coverage"].between(*TARGET)
    robust_chow = chow[chow["test"].str.contains("wild cluster")]
    chow_ok = robust_chow["size"] <= CHOW_TARGET
    return (
        f"Default interval ({DEFAULT_CI_METHOD}) inside [{TARGET[0]:.0%}, {TARGET[1]:.0%}] in "
        f"{int(inside.sum())} of {len(default)} design x scope cells (planted tiers and all models). "
        f"Maker-robust Chow tests at or below {CHOW_TARGET:.0%} size in {int(chow_ok.sum())} of "
        f"{len(robust_chow)} cells."
    )


def render_markdown(coverage: pd.DataFrame, chow: pd.DataFrame, seeds: int, draws: int, seconds: float) -> str:
    methods = "\n".join(f"- `{name}`: {text}" for name, text in CI_METHOD_TEXT.items())
    designs = "\n".join(f"- **{d.name}**: {d.description}" for d in DESIGNS)
    lines = ", ".join(f"{t} {b:+.2f}/year" for t, (_, b) in PLANTED_TIER_LINES.items())
    return f"""# Calibration of tokentide's intervals and break tests

Written by `make calibrate` (`python -m tokentide.reporting.calibration_run`); do not edit by hand.
{seeds} seeds per design, {draws} bootstrap draws per interval or test, {seconds:.0f} s.

Planted truth on the **real release dates and makers** of the curated table (warehouse/reference/milestones.csv):
ln(price) = tier line + maker effect + noise, with tier lines {lines} (close to the curated table's fits), residual
variance {RESIDUAL_VARIANCE} split between a maker effect (shared by all of a maker's models) and independent noise.
For Chow size and the all-model fit, one line for all models (no break). Fits with fewer than {MIN_CLUSTERS} makers
give no interval (`thin`) and are left out of the coverage share (the `thin` column says how many).

Designs:
{designs}

Scopes: **all models** (one line, truth = its slope); **planted tiers** (tiers fixed in advance, as any rule
that does not look at price: the curated positioning, or a rule learned from names); **price-band tiers**
(terciles of the simulated price per half-year: the rule selects on the price it then models, so its
coverage is expected to fall short; reported, not fixed). Truth for a price-band tier is the planted line
of the tier with that name.

Interval methods:
{methods}

**Default: `{DEFAULT_CI_METHOD}`.** {_verdict(coverage, chow)}

## 95 % CI coverage of the slope and median relative error of the half-life

The binomial SE is that of a 95 % coverage over the fits in the cell; tier fits of one seed share maker
effects, so the SE slightly understates the noise of tier cells.

{_coverage_markdown(coverage)}

## Chow size under the no-break null (nominal 5 %, break date {BREAK_DATE} for the fixed-date test)

{_chow_markdown(chow)}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the planted-truth calibration and write its tables.")
    parser.add_argument("--seeds", type=int, default=250, help="seeds per design (default 250)")
    parser.add_argument("--draws", type=int, default=399, help="bootstrap draws per interval/test (default 399)")
    parser.add_argument("--docs", type=Path, default=Path("docs/calibration.md"), help="markdown output")
    parser.add_argument("--tables", type=Path, default=Path("reporting"), help="folder for the packaged CSVs")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    fits, chows = run_calibration(curated_models(), seeds=args.seeds, draws=args.draws)
    coverage, chow = coverage_table(fits), chow_size_table(chows)
    seconds = time.perf_counter() - start
    args.tables.mkdir(parents=True, exist_ok=True)
    coverage.assign(seeds=args.seeds, draws=args.draws).to_csv(args.tables / COVERAGE_FILE, index=False)
    chow.assign(seeds=args.seeds, draws=args.draws).to_csv(args.tables / CHOW_FILE, index=False)
    args.docs.parent.mkdir(parents=True, exist_ok=True)
    args.docs.write_text(render_markdown(coverage, chow, args.seeds, args.draws, seconds), encoding="utf-8")
    print(_verdict(coverage, chow))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
