"""What every chart builder shares: option defaults and the finishing of a Chart (title, lines, empty state)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from tokentide.reporting.chart import Chart, empty_figure, finish, method_line, source_line
from tokentide.reporting.memo_figure import MemoFigure
from tokentide.reporting.options import OPTION_SPECS
from tokentide.reporting.scope import Scope

Options = Mapping[str, str]
EMPTY_MESSAGE: str = "No data for these filters"


def opt(options: Options, key: str) -> str:
    return options.get(key) or OPTION_SPECS[key].default


def make_chart(
    scope: Scope,
    name: str,
    title: str,
    subtitle: str,
    fig: Callable[[], go.Figure],
    data: pd.DataFrame,
    *,
    tiers: bool = True,
    legend: bool = True,
    notes: tuple[str, ...] = (),
    source_suffix: str = "",
) -> Chart:
    empty = data.empty
    figure = empty_figure(EMPTY_MESSAGE) if empty else fig()
    if not isinstance(figure, MemoFigure):  # shared by every rerun: serialise once (see memo_figure)
        figure = MemoFigure(figure)
    source, method = f"{source_line(scope)} {source_suffix}".strip(), method_line(scope, tiers=tiers)
    finish(figure, title, subtitle, source, method, legend=legend and not empty)
    return Chart(name, title, subtitle, figure, data.reset_index(drop=True), source, method, empty, notes)
