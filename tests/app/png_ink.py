"""Reading a rendered PNG: is the source line really drawn under the chart (not just set on the figure)?"""

from __future__ import annotations

import dataclasses
import io

import plotly.graph_objects as go
from PIL import Image

from tokentide.reporting import export
from tokentide.reporting.chart import SOURCE_ANNOTATION, Chart

SOURCE_STRIP = (0.86, 0.94)  # share of the image height where the source line is printed (layout in chart.py)


def dark_pixels(png: bytes, strip: tuple[float, float] = SOURCE_STRIP) -> int:
    """Pixels darker than mid-grey in a horizontal strip of the image: text drawn there shows up as ink."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    crop = image.crop((0, int(height * strip[0]), width, int(height * strip[1])))
    histogram = crop.histogram()
    return sum(histogram[:140])


def without_source_line(chart: Chart) -> Chart:
    bare = go.Figure(chart.figure)
    bare.layout.annotations = [a for a in bare.layout.annotations if a.name != SOURCE_ANNOTATION]
    return dataclasses.replace(chart, figure=bare)


def source_line_ink(png: bytes, chart: Chart) -> int:
    """Dark pixels the PNG has in the source strip beyond a render of the same chart without its source line."""
    return dark_pixels(png) - dark_pixels(export.render(without_source_line(chart), "png"))
