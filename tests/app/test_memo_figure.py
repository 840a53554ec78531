"""MemoFigure serialises once per state of the figure and never serves a stale dict after a change."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from tokentide.reporting.chartbook import CHARTS, build_chart
from tokentide.reporting.memo_figure import MemoFigure
from tokentide.reporting.scope import Scope


def _fresh(fig: go.Figure) -> str:
    """What a plain go.Figure with the same content serialises to."""
    return pio.to_json(go.Figure.to_dict(fig), validate=False)


def _figure() -> MemoFigure:
    fig = MemoFigure(go.Scatter(x=[1, 2, 3], y=[3.0, 4.0, 5.0], name="a", customdata=[["p"], ["q"], ["r"]]))
    fig.update_layout(title="before")
    return fig


def _batch(fig: go.Figure) -> None:
    with fig.batch_update():
        fig.layout.height = 500
        fig.data[0].name = "renamed"


MUTATIONS: dict[str, Callable[[go.Figure], object]] = {
    "update_layout": lambda f: f.update_layout(title="after"),
    "layout attribute": lambda f: setattr(f.layout.title, "text", "after"),
    "layout item": lambda f: f.layout.__setitem__("height", 300),
    "trace attribute": lambda f: setattr(f.data[0], "y", [9.0, 9.0, 9.0]),
    "update_traces": lambda f: f.update_traces(marker_color="red"),
    "add_trace": lambda f: f.add_trace(go.Bar(x=[1], y=[2])),
    "add_annotation": lambda f: f.add_annotation(text="note"),
    "add_hline": lambda f: f.add_hline(y=3),
    "update_yaxes": lambda f: f.update_yaxes(type="log"),
    "delete traces": lambda f: setattr(f, "data", f.data[:0]),
    "replace layout": lambda f: setattr(f, "layout", go.Layout(title="new")),
    "batch_update": _batch,
    "update": lambda f: f.update(layout_width=400),
    "frames": lambda f: setattr(f, "frames", [go.Frame(data=[go.Scatter(x=[1], y=[1])])]),
}


def test_to_dict_is_computed_once_while_the_figure_is_unchanged() -> None:
    fig = _figure()
    first = fig.to_dict()
    assert fig.to_dict() is first
    assert pio.to_json(first, validate=False) == _fresh(fig)


@pytest.mark.parametrize("how", MUTATIONS)
def test_a_change_is_never_hidden_by_the_kept_dict(how: str) -> None:
    fig = _figure()
    before = pio.to_json(fig.to_dict(), validate=False)
    MUTATIONS[how](fig)
    after = pio.to_json(fig.to_dict(), validate=False)
    assert after == _fresh(fig)
    assert after != before, f"{how} changed nothing, so it tests nothing"


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_every_dashboard_chart_is_a_memo_figure_that_serialises_like_plotly(scope: Scope, name: str) -> None:
    fig = build_chart(name, scope).figure
    assert isinstance(fig, MemoFigure)
    assert pio.to_json(fig.to_dict(), validate=False) == _fresh(fig)
