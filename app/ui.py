"""Shared page furniture: headers, empty states, chart panels with exports, provenance, data freshness."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from tokentide.app import state
from tokentide.reporting import export
from tokentide.reporting import freshness as fresh
from tokentide.reporting.chart import Chart, as_of_text
from tokentide.reporting.chartbook import build_chart, traced_interval
from tokentide.reporting.dataset import Dataset
from tokentide.reporting.scope import Scope

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
MIN_PLOT_PX: int = 320
STALE_DAYS: int = 7  # a source whose newest data is older than this gets a clock mark in the sidebar
PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def md(text: object) -> str:
    """Untrusted text (a value from a URL, a model name) made inert for st.markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def header(title: str, what: str, scope: Scope) -> None:
    st.title(title)
    f = scope.filters
    chips = [f"tier rule **{md(scope.rule_label)}**", f"blend **{md(f.weights)}**", f"price **{md(f.pick)}**"]
    chips.append(f"as of **{md(as_of_text(scope))}**")
    st.caption(f"{what}  \n" + " · ".join(chips))
    from_link = st.session_state.get("_tt_warnings", ())  # the scope may be shared: warnings are per session
    for warning in dict.fromkeys([*from_link, *state.context().filters.warnings]):
        st.warning(f"Link: {md(warning)}", icon=":material/link_off:")


def empty_state(scope: Scope, what: str = "models", *, headline: str | None = None) -> None:
    """Say what matched nothing and how to get data back, instead of an empty chart or an error."""
    if scope.n_models_total == 0:
        st.info(
            "**The warehouse holds no prices yet.** Start the dashboard with `tokentide app` (it loads the "
            "embedded default), or load payloads with `tokentide ingest` or `tokentide collect`.",
            icon=":material/database:",
        )
        return
    described = md(scope.filters.describe())
    st.info(
        f"**{headline or f'No {what} match these filters.'}**  \nFilters: {described}.  \n"
        "Widen the filters in the sidebar (or press **Reset filters**); a value that came from a link and "
        "matches nothing is kept as written, so you can see it.",
        icon=":material/filter_alt_off:",
    )


def not_enough(message: str) -> None:
    st.info(md(message), icon=":material/info:")


def _export_buttons(chart: Chart, scope: Scope, options: Mapping[str, str], link: str | None) -> None:
    try:
        export.browser_path()
        no_browser = None
        export.warm_renderer()  # the first export then finds the headless browser already running
    except export.ExportError as exc:
        no_browser = str(exc)
    columns = st.columns([1, 1, 1, 1.4, 4])
    for column, fmt, label, mime in (
        (columns[0], "png", "PNG", "image/png"),
        (columns[1], "svg", "SVG", "image/svg+xml"),
        (columns[2], "csv", "CSV", "text/csv"),
        (columns[3], "bundle", "Bundle (zip)", "application/zip"),
    ):
        disabled = no_browser is not None and fmt != "csv"

        def make(fmt: str = fmt) -> bytes:
            return export.export_bytes(chart, scope, fmt, permalink=link, options=options)

        column.download_button(
            label,
            data=make,
            file_name=export.file_name(chart, fmt, scope, options),
            mime=mime,
            key=f"dl_{chart.name}_{fmt}",
            on_click="ignore",
            icon=":material/download:",
            disabled=disabled,
            help=no_browser if disabled else f"Download {chart.name} as {label}",
        )


def chart_panel(
    name: str,
    scope: Scope,
    options: Mapping[str, str] | None = None,
    *,
    height: int = 640,
    provenance: bool = False,
    usage: pd.DataFrame | None = None,
) -> Chart:
    """Draw a named chart with its four exports; with provenance, clicking a point explains it."""
    chosen = dict(options or {})
    chart = build_chart(name, scope, chosen, usage)
    if chart.empty:
        empty_state(scope, headline=f"{chart.title}: nothing to draw for these filters.")
        return chart
    margins = chart.figure.layout.margin
    height = max(height, int((margins.t or 0) + (margins.b or 0) + MIN_PLOT_PX))  # a tall legend keeps its plot
    event = st.plotly_chart(
        chart.figure,
        key=f"chart_{name}",
        height=height,
        config={**PLOT_CONFIG, "toImageButtonOptions": {"filename": chart.name, "width": 1200, "height": 720}},
        on_select="rerun" if provenance else "ignore",
        selection_mode="points",
        theme=None,
    )
    _export_buttons(chart, scope, chosen, state.current_link(scope.filters))
    if provenance:
        points = event.get("selection", {}).get("points", []) if isinstance(event, Mapping) else []
        traced = [traced_interval(chart, p.get("curve_number"), p.get("point_index")) for p in points]
        ids = [i for i in traced if i is not None]
        if ids:
            provenance_panel(scope, ids[0])
        else:
            st.caption("Click a point to see where its price came from (source, URL, capture time, sha256).")
    return chart


def provenance_panel(scope: Scope, interval_id: int) -> None:
    rows = scope.intervals[scope.intervals["interval_id"] == interval_id]
    if rows.empty:
        st.caption("That point is not in the current view.")
        return
    row = rows.iloc[0]
    with st.container(border=True):
        st.markdown(f"**Provenance of {md(row['model_name'] or row['model_id'])}** · served by {md(row['provider'])}")
        valid_to = "still current" if pd.isna(row["valid_to"]) else f"{row['valid_to']:%Y-%m-%d %H:%M} UTC"
        st.markdown(
            f"- Source: **{md(row['source'])}** ({md(row['model_id'])})\n"
            f"- Source URL: {md(row['source_url']) if pd.notna(row['source_url']) else 'not recorded'}\n"
            f"- Captured at: {row['captured_at']:%Y-%m-%d %H:%M:%S} UTC (raw snapshot #{int(row['snapshot_id'])})\n"
            f"- Price interval #{int(row['interval_id'])}: from {row['valid_from']:%Y-%m-%d %H:%M} UTC to {valid_to}\n"
            f"- Input ${_price(row['usd_per_mtok_input'])}, output ${_price(row['usd_per_mtok_output'])}, "
            f"cached input ${_price(row['usd_per_mtok_cache_read'])} per million tokens ({md(row['price_state'])})"
        )
        st.code(f"sha256 {row['sha256']}", language=None)


def _price(value: Any) -> str:
    return "unknown" if value is None or pd.isna(value) else f"{float(value):,.4g}"


def _days_ago(stamp: object, now: pd.Timestamp) -> int | None:
    if stamp is None or pd.isna(stamp):
        return None
    moment = pd.Timestamp(stamp)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    return max((now - moment).days, 0)


def _age(stamp: object, now: pd.Timestamp) -> str:
    days = _days_ago(stamp, now)
    if days is None:
        return "never"
    return "today" if days == 0 else f"{days} d ago"


def freshness(data: Dataset) -> None:
    """The sidebar stamp: data as of, each source's publication and check dates, and what was held back."""
    now = pd.Timestamp.now(tz="UTC")
    as_of = data.data_as_of
    st.markdown(f"**Data as of {as_of:%Y-%m-%d %H:%M} UTC**" if as_of is not None else "**No data yet**")
    lines = []
    for source in data.status.sources:
        old = _days_ago(source.data_as_of, now)
        stale = " :material/schedule:" if old is not None and old > STALE_DAYS else ""
        line = fresh.source_line(source.data_as_of, source.last_run_at, source.last_run_status, now)
        lines.append(f"- **{md(source.source)}**{stale} {md(line)}")
    st.markdown("\n".join(lines) or "No sources loaded.")
    guarded = sum(s.snapshots_guarded for s in data.status.sources)
    failed = sum(s.snapshots_failed for s in data.status.sources)
    quarantined = sum(s.quarantined_rows for s in data.status.sources)
    st.caption(f"Held back: {guarded} guarded and {failed} failed snapshots, {quarantined} quarantined rows.")


def share_link(link: str) -> None:
    st.markdown("**Share this view**")
    st.code(link, language=None, wrap_lines=True)
    st.caption("Copy the link (button at the top right of the box): it reproduces the filters and options.")


def options_row(keys: tuple[str, ...], **choices: list[str]) -> dict[str, str]:
    """Option widgets side by side; returns their canonical values."""
    columns = st.columns(len(keys))
    return {
        key: state.option(key, where=column, choices=choices.get(key))
        for key, column in zip(keys, columns, strict=True)
    }


def estimator_notes(table: pd.DataFrame) -> None:
    """Name the estimators behind a half-life table and say which groups rest on too few makers."""
    if table.empty:
        return
    notes = [f"Mean trend: {table['estimator'].iloc[0]}."] if "estimator" in table.columns else []
    if "frontier_estimator" in table.columns and table["frontier_estimator"].notna().any():
        notes.append(f"Frontier: {table['frontier_estimator'].dropna().iloc[0]}.")
    thin = table[table["thin"].astype(bool)] if "thin" in table.columns else table.iloc[0:0]
    notes += [f"{row.group}: no interval, {row.thin_reason}." for row in thin.itertuples()]
    st.caption(" ".join(notes))
