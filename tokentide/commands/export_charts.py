"""`tokentide export --chart NAME`: the dashboard's chart files from the command line, with the same filters."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from tokentide.analytics.frames import TIERS
from tokentide.analytics.prices import PROVIDER_SELECTIONS
from tokentide.analytics.tiers import TIER_RULES
from tokentide.reporting.catalogue import CHART_NAMES, FORMATS
from tokentide.reporting.filters import FILTER_KEYS, OPEN_CHOICES, REASONING_CHOICES, parse_filters, permalink

if TYPE_CHECKING:
    from tokentide.reporting.dataset import Dataset

# Plotting, statistics and the chart builders are imported when a chart is exported, not for every
# `tokentide` command (they take a second to import).

# CLI flag -> URL query key; a flag may repeat or hold a comma-separated list
FILTER_FLAGS: dict[str, str] = {
    "tier": "tier", "provider": "provider", "author": "author", "country": "country", "date_from": "from",
    "date_to": "to", "reasoning": "reasoning", "open_weights": "open", "weights": "w", "as_of": "asof",
    "tier_rule": "rule", "provider_price": "pick",
}  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser, mode: argparse._MutuallyExclusiveGroup) -> None:
    """The chart modes (in the command's mutually exclusive `mode` group) and their options."""
    mode.add_argument("--chart", choices=CHART_NAMES, metavar="NAME", help="export one dashboard chart")
    mode.add_argument("--list-charts", action="store_true", help="list the chart names and their options")
    charts = parser.add_argument_group("chart export (with --chart)")
    charts.add_argument("--format", choices=FORMATS, default="bundle", help="png, svg, csv or bundle (zip of all)")
    charts.add_argument("--out", type=Path, default=Path("."), metavar="DIR", help="folder to write to (default .)")
    charts.add_argument("--link", metavar="URL", help="a dashboard permalink: its filters and options (flags win)")
    for flag in ("tier", "provider", "author", "country"):
        charts.add_argument(f"--{flag}", action="append", metavar="VALUE", help=f"keep this {flag} (repeatable)")
    charts.add_argument("--from", dest="date_from", metavar="DATE", help="models released on or after DATE")
    charts.add_argument("--to", dest="date_to", metavar="DATE", help="models released on or before DATE")
    charts.add_argument("--reasoning", choices=REASONING_CHOICES, help="reasoning or non-reasoning models only")
    charts.add_argument("--open-weights", choices=OPEN_CHOICES, help="open- or closed-weights models only")
    charts.add_argument("--weights", metavar="IN:OUT", help="blend weights, input:output tokens (default 3:1)")
    charts.add_argument("--as-of", metavar="DATE", help="the data as it stood at the end of DATE (UTC)")
    charts.add_argument("--tier-rule", choices=tuple(TIER_RULES), help="tier rule (default positioning)")
    charts.add_argument("--provider-price", choices=PROVIDER_SELECTIONS, help="price of a multi-provider model")
    charts.add_argument("--option", action="append", metavar="KEY=VALUE", help="a chart option, e.g. method=theil-sen")
    charts.add_argument(
        "--usage", type=Path, metavar="CSV", help="usage file for the concentration charts' usage basis"
    )


def _query(args: argparse.Namespace) -> dict[str, list[str]]:
    from tokentide.reporting.options import OPTION_SPECS

    query: dict[str, list[str]] = {}
    if args.link:
        parts = urlsplit(args.link if "?" in args.link or "://" in args.link else f"?{args.link}")
        query.update({k: v for k, v in parse_qs(parts.query).items() if k in (*FILTER_KEYS, *OPTION_SPECS)})
    for attr, key in FILTER_FLAGS.items():
        value = getattr(args, attr, None)
        if value:
            query[key] = value if isinstance(value, list) else [value]
    for item in args.option or []:
        key, sep, value = item.partition("=")
        if not sep or key not in OPTION_SPECS:
            raise ValueError(f"--option {item!r}: use KEY=VALUE with KEY one of {', '.join(OPTION_SPECS)}")
        query[key] = [value]
    return query


def _dataset(db: Path) -> Dataset:
    """Like the app: an empty or missing warehouse first gets the embedded default."""
    from tokentide.reporting.dataset import data_version, load_dataset

    if data_version(db) != "missing":
        data = load_dataset(db)
        if not data.is_empty:
            return data
    from tokentide.reporting.prepare import prepare

    prepare(db)
    return load_dataset(db)


def list_charts() -> int:
    from tokentide.reporting.chartbook import CHARTS
    from tokentide.reporting.options import OPTION_SPECS

    for spec in CHARTS.values():
        options = ", ".join(f"{k} ({OPTION_SPECS[k].default or 'none'})" for k in spec.options) or "no options"
        print(f"{spec.name:22} {spec.page}: {spec.title}; options: {options}")
    print(f"tiers: {', '.join(TIERS)}; formats: {', '.join(FORMATS)}")
    return 0


def run_chart(args: argparse.Namespace) -> int:
    """Write the chart file(s); one line per file on stdout, one line on stderr on failure."""
    import pandas as pd

    from tokentide.reporting.chartbook import CHARTS, build_chart
    from tokentide.reporting.export import ExportError, write_export
    from tokentide.reporting.options import non_default, parse_options
    from tokentide.reporting.scope import build_scope

    try:
        query = _query(args)
        usage = pd.read_csv(args.usage) if args.usage else None
    except (ValueError, OSError) as exc:
        print(f"tokentide export: {exc}", file=sys.stderr)
        return 2
    filters = parse_filters(query)
    for warning in filters.warnings:
        print(f"tokentide export: {warning}", file=sys.stderr)
    options = parse_options(query, CHARTS[args.chart].options)
    for key in CHARTS[args.chart].options:
        given = query.get(key)
        if given and options[key] != given[-1].strip():
            print(f"tokentide export: option {key}={given[-1]!r} not valid; using {options[key]!r}", file=sys.stderr)
    scope = build_scope(_dataset(args.db), filters)
    link = permalink(args.link, {**filters.to_query(), **non_default(options)}) if args.link else None
    try:
        chart = build_chart(args.chart, scope, options, usage)
        target = write_export(chart, scope, args.format, args.out, permalink=link, options=options)
    except (ExportError, ValueError) as exc:
        print(f"tokentide export: {exc}", file=sys.stderr)
        return 1
    note = " (no data for these filters: the file says so)" if chart.empty else ""
    print(f"wrote {target} ({len(chart.data)} rows charted){note}")
    return 0
