"""`tokentide export`: take data out of tokentide. One mode per run, chosen by a flag:

- `--parquet DIR`: the whole warehouse as a Hive-partitioned Parquet dataset (warehouse/export_parquet.py)
  for Spark, Trino, Polars or MotherDuck.

Each mode is one option in the `mode` group and one branch in `run`; chart exports (`--chart NAME`, the
dashboard issue) join the group the same way.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tokentide.commands import export_charts
from tokentide.commands.common import fail
from tokentide.warehouse.connection import open_connection
from tokentide.warehouse.export_parquet import MANIFEST, ExportError, export_parquet


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="export the warehouse (Parquet) or a dashboard chart (PNG/SVG/CSV/zip)"
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--parquet",
        type=Path,
        metavar="DIR",
        help="write observations, intervals, models, runs and snapshot metadata as Parquet, partitioned by "
        "source and month (replaces an earlier export in DIR)",
    )
    export_charts.add_arguments(parser, mode)  # --chart NAME / --list-charts and their options (the dashboard)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.parquet is not None:
        return run_parquet(args.db, args.parquet)
    if args.list_charts:
        return export_charts.list_charts()
    if args.chart is not None:
        return export_charts.run_chart(args)
    raise AssertionError("argparse requires one export mode")


def run_parquet(db: Path, folder: Path) -> int:
    """Read the warehouse file itself (read copies leave the observation rows out), waiting up to a minute
    for a writer to finish, and write the dataset with its manifest."""
    conn = open_connection(db, read_only=True, wait_seconds=60)
    try:
        summaries = export_parquet(conn, folder)
    except ExportError as exc:
        fail("export", str(exc))
        return 1
    finally:
        conn.close()
    for summary in summaries:
        layout = "/".join(f"{p}=…" for p in summary.partition_by) or "one file"
        print(f"exported {summary.name}: {summary.rows:,} rows ({layout})")
    print(f"wrote {folder.expanduser().resolve()} (manifest: {MANIFEST})")
    return 0
