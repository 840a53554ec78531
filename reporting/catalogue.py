"""Names of the exportable charts and file formats, kept import-light so the CLI can offer them cheaply.

chartbook.CHARTS holds the builders; a test keeps the two in step.
"""

from __future__ import annotations

CHART_NAMES: tuple[str, ...] = (
    "price-curves", "half-life-by-tier", "half-life-history", "half-life-residuals", "half-life-sensitivity",
    "break-scan", "premium-pairs",
    "premium-trend", "concentration", "shares", "country-split", "price-history", "movers",
    "price-of-capability",
)  # fmt: skip
FORMATS: tuple[str, ...] = ("png", "svg", "csv", "bundle")
