"""`tokentide status`: per-source health, warehouse size and schema version (text or --json)."""

from __future__ import annotations

import argparse

from tokentide.commands.common import print_json
from tokentide.reporting.coverage import Coverage, coverage
from tokentide.warehouse.connection import reader
from tokentide.warehouse.status import WarehouseStatus, warehouse_status


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("status", help="show each source's last run, errors, counts and quarantine")
    parser.add_argument("--json", action="store_true", help="print the status as JSON (keys in docs/cli.md)")
    parser.set_defaults(run=run)


def _when(value: object) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "never"


def render(status: WarehouseStatus) -> str:
    lines = [
        f"warehouse {status.db_path} ({status.db_bytes / 1e6:.1f} MB), schema version {status.schema_version}"
        + (
            ""
            if status.schema_version == status.schema_version_expected
            else f" (this tokentide expects {status.schema_version_expected}; run any write command to migrate)"
        ),
    ]
    if not status.sources:
        lines.append("no sources loaded yet: run `tokentide app` (loads the embedded default) or `tokentide ingest`")
    for s in status.sources:
        lines.append(
            f"{s.source:13} last run {_when(s.last_run_at)} ({s.last_run_status or '-'}), "
            f"last success {_when(s.last_success_at)}, data as of {_when(s.data_as_of)}; "
            f"{s.snapshots} snapshots ({s.snapshots_guarded} guarded, {s.snapshots_failed} failed), "
            f"{s.observations} observations, {s.current_models} current models, {s.quarantined_rows} quarantined"
            + (f", {s.benchmark_scores} benchmark scores" if s.benchmark_scores else "")
        )
        if s.unfinished_runs:
            lines.append(f"{'':13} {s.unfinished_runs} run(s) never finished (still running, or cut off by a crash)")
        if s.last_error:
            lines.append(f"{'':13} last problem {_when(s.last_error_at)}: {s.last_error}")
    return "\n".join(lines)


def render_coverage(cover: Coverage) -> str:
    """Per source: models, dated share, history span; per year: paid launch prices and makers per tier."""
    lines = ["coverage by source (models with prices, share with a release date, history span):"]
    for row in cover.sources.itertuples():
        span = f"{row.history_from:%Y-%m-%d} .. {row.history_to:%Y-%m-%d}" if row.snapshots else "no snapshots"
        lines.append(f"  {row.source:20} {row.models:6} models, {row.dated_share:4.0%} dated, {span}")
    lines.append(f"paid launch prices (makers) by release year, tier rule {cover.tier_rule}; "
                 f"* = thin (< {cover.thin_launches}):")  # fmt: skip
    for year, group in cover.years.groupby("year"):
        cells = [f"{r.tier} {r.paid_launch_prices} ({r.makers}){'*' if r.thin else ''}" for r in group.itertuples()]
        lines.append(f"  {year}: " + ", ".join(cells))
    if cover.history_is_thin:
        lines.append("history is thin: `tokentide backfill --source litellm --every week` loads LiteLLM's price "
                     "history since 2023 from PyPI (about 30 MB)")  # fmt: skip
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    with reader(args.db) as conn:
        status = warehouse_status(conn, args.db)
        cover = coverage(conn) if status.sources else None
    if args.json:
        print_json({**status.to_json_dict(), "coverage": cover.to_json_dict() if cover else None})
    else:
        print(render(status))
        if cover is not None:
            print(render_coverage(cover))
    return 0
