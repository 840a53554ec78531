"""`tokentide status`: per-source health, warehouse size and schema version (text or --json)."""

from __future__ import annotations

import argparse

from tokentide.commands.common import print_json
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


def run(args: argparse.Namespace) -> int:
    with reader(args.db) as conn:
        status = warehouse_status(conn, args.db)
    if args.json:
        print_json(status.to_json_dict())
    else:
        print(render(status))
    return 0
