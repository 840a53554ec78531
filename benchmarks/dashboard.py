"""The dashboard on the embedded default: warm page reruns against an empty page, and bundle exports against
a bare kaleido render of a one-point figure (both measured in the same run)."""

from __future__ import annotations

import plotly.graph_objects as go

from benchmarks.app import page_reruns
from benchmarks.ingest import scratch
from benchmarks.measure import Row, paired_medians, ratio_row, seconds

DEFAULT_LABEL = "embedded default"
BUNDLE_TARGET_S: float = 3.0
BUNDLE_CHARTS: tuple[str, ...] = ("price-curves", "half-life-by-tier", "concentration", "movers", "shares")


def _bare_render() -> None:
    """The floor of any image export: one headless-browser session rendering a PNG and an SVG of one point."""
    import pandas as pd

    from tokentide.reporting.chart import Chart
    from tokentide.reporting.export import render_many

    figure = go.Figure(go.Scatter(x=[0], y=[0]))
    render_many(Chart("bare", "", "", figure, pd.DataFrame(), "", ""), ("png", "svg"))


def _first_bundle(scope: object) -> Row:
    """A bundle when no headless browser is running yet (the app starts one in the background on the first
    page with export buttons, so a user rarely waits for this)."""
    import time

    from tokentide.reporting.chartbook import build_chart
    from tokentide.reporting.export import _RENDER_LOCK, _stop_renderer, bundle_bytes

    chart = build_chart("price-curves", scope)  # type: ignore[arg-type]
    with _RENDER_LOCK:
        _stop_renderer()
    started = time.perf_counter()
    bundle_bytes(chart, scope, permalink=None, options={})  # type: ignore[arg-type]
    took = time.perf_counter() - started
    return Row("dashboard", "bundle (zip): first export, browser starting", seconds(took), note=DEFAULT_LABEL)


def bundle_rows(repeat: int) -> list[Row]:
    from tokentide.commands.serve import prepare
    from tokentide.reporting.chartbook import build_chart
    from tokentide.reporting.dataset import load_dataset
    from tokentide.reporting.export import ExportError, bundle_bytes
    from tokentide.reporting.filters import Filters
    from tokentide.reporting.scope import build_scope

    rows = []
    with scratch() as folder:
        db = folder / "default.duckdb"
        prepare(db)
        scope = build_scope(load_dataset(db), Filters())
        rows.append(_first_bundle(scope))
        for name in BUNDLE_CHARTS:
            chart = build_chart(name, scope)  # built (and memoised) as on a page, so only the export is timed
            try:
                ours, bare = paired_medians(lambda c=chart: bundle_bytes(c, scope, permalink=None, options={}),
                                            _bare_render, repeat)  # fmt: skip
            except ExportError as exc:  # a headless-browser hiccup is a row, not a lost step
                rows.append(Row("dashboard", f"bundle (zip): {name}", "failed", ok=False, note=str(exc)[:200]))
                continue
            row = ratio_row("dashboard", f"bundle (zip): {name}", ours, bare, None,
                            f"{DEFAULT_LABEL}; vs a bare PNG+SVG render of one point")  # fmt: skip
            rows.append(Row(row.group, row.name, row.value, row.baseline, row.ratio,
                            f"< {BUNDLE_TARGET_S:g} s", ours < BUNDLE_TARGET_S, row.note))  # fmt: skip
    return rows


def page_rows(repeat: int) -> list[Row]:
    from tokentide.commands.serve import prepare

    with scratch() as folder:
        db = folder / "default.duckdb"
        prepare(db)
        rows = page_reruns(db, DEFAULT_LABEL, repeat)
    out = []
    for row in rows:
        out.append(Row("dashboard", row.name, row.value, row.baseline, row.ratio, row.target, row.ok, row.note))
    return out


def absolute(rows: list[Row]) -> list[str]:
    """Plain lines for a report: each row's own time beside its baseline's."""
    return [f"{r.name}: {r.value} (baseline {r.baseline}; ratio {r.ratio:.2f}×)" if r.ratio else r.name for r in rows]


__all__ = ["absolute", "bundle_rows", "page_rows", "seconds"]
