"""`python -m benchmarks` (`make bench`): run every benchmark, print one table, write benchmarks/RESULTS.md."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import analytics, app, collect, dashboard, ingest, scaling
from benchmarks.measure import Row
from benchmarks.synthetic import HistorySpec
from benchmarks.warehouse import cached_warehouse

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BACKFILL_REAL_RUN = Path(__file__).resolve().parent / "backfill_real_run.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{mem_kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = "RAM unknown"
    import duckdb
    import pandas
    import streamlit

    return (
        f"{cpu}, {os.cpu_count()} cores, {memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pandas.__version__}, "
        f"Streamlit {streamlit.__version__}"
    )


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| group | benchmark | tokentide | bare baseline | ratio | target | verdict | notes |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        cells = (r.group, r.name, r.value, r.baseline, ratio, r.target, r.verdict, r.note)
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and snapshots (a smoke run)")
    parser.add_argument("--scales", default="0.1,1,10", help="history sizes for the scaling table (default 0.1,1,10)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave benchmarks/RESULTS.md alone")
    parser.add_argument("--only", metavar="TEXT", help="run only the steps whose name contains TEXT (no scaling)")
    return parser.parse_args(argv)


def run(options: argparse.Namespace) -> tuple[list[Row], list[scaling.ScalePoint]]:
    repeat = 3 if options.quick else 9
    spec = HistorySpec()
    large = f"large history ({spec.years} y daily × {spec.models:,} models × {spec.providers_per_model} providers)"
    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("ingest: one payload", lambda: _payload_rows(repeat)),
        ("ingest: history throughput", lambda: ingest.throughput(spec, 10 if options.quick else 30)),
        ("write only on change", lambda: ingest.write_only_on_change(ingest.COMMITTED_PAYLOAD, 1000)),
        ("collect with no network", collect.unreachable_rows),
        ("analytics", lambda: analytics.report_vs_scan(cached_warehouse(spec, observations=True), large, repeat)),
        ("app", lambda: app.page_reruns(cached_warehouse(spec, observations=True), large, repeat)),
        ("dashboard: pages on the embedded default", lambda: dashboard.page_rows(repeat)),
        ("dashboard: bundles on the embedded default", lambda: dashboard.bundle_rows(3 if options.quick else 5)),
        ("memory", lambda: _memory_rows(spec, large)),
    ]
    if options.only:
        steps = [(name, step) for name, step in steps if options.only in name]
    rows: list[Row] = []
    for name, step in steps:
        started = time.perf_counter()
        print(f"== {name}", file=sys.stderr, flush=True)
        try:
            rows.extend(step())
        except Exception as exc:  # one broken step is a row in the table, not a lost run
            rows.append(Row(name.split(":")[0], name, "failed", ok=False, note=f"{type(exc).__name__}: {exc}"[:300]))
        print(f"   {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    points = []
    for factor in [] if options.only else [float(f) for f in options.scales.split(",") if f.strip()]:
        print(f"== scaling {factor:g}×", file=sys.stderr, flush=True)
        try:
            points.append(scaling.measure_point(factor, spec, 1 if options.quick else 3, app.warm_rerun_seconds))
        except Exception as exc:
            rows.append(
                Row("scaling", f"{factor:g}× history", "failed", ok=False, note=f"{type(exc).__name__}: {exc}"[:300])
            )
    return rows, points


def _payload_rows(repeat: int) -> list[Row]:
    rows = ingest.one_payload(ingest.COMMITTED_PAYLOAD, "committed real payload", repeat)
    if ingest.SHARED_PAYLOAD.exists():
        rows += ingest.one_payload(ingest.SHARED_PAYLOAD, "largest staged payload (../shared)", repeat)
    return rows


def _memory_rows(spec: HistorySpec, large: str) -> list[Row]:
    db = cached_warehouse(spec, observations=True)
    return [ingest.peak_memory(db, spec, large), analytics.peak_memory(db, large), app.peak_memory(db, large)]


def render(rows: list[Row], points: list[scaling.ScalePoint], took: float) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"Run {when} with `make bench` ({took / 60:.1f} min). Machine: {machine()}.",
            "",
            "Every ratio is tokentide's time over a bare baseline measured in the same run, alternating the two "
            "(medians); absolute times are for context. Regenerate with `make bench`; the synthetic histories are "
            "cached in `benchmarks/.cache/` (git-ignored). What each row measures: `benchmarks/README.md`.",
            "",
            *table(rows),
            "",
            "## Scaling",
            "",
            *scaling.scaling_table(points),
            "",
            *scaling.growth_lines(points),
            "",
            BACKFILL_REAL_RUN.read_text(encoding="utf-8").rstrip("\n"),  # measured by hand: needs the network
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    started = time.perf_counter()
    rows, points = run(options)
    text = render(rows, points, time.perf_counter() - started)
    print(text)
    if not options.no_write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"wrote {RESULTS}", file=sys.stderr)
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
