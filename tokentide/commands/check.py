"""`tokentide check`: verify the warehouse's invariants (exit 1 if any is broken)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from tokentide.commands.common import print_json
from tokentide.warehouse.connection import open_connection
from tokentide.warehouse.integrity import run_checks


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check", help="check the warehouse's integrity (after a crash or upgrade)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    conn = open_connection(args.db, read_only=True, wait_seconds=30)
    try:
        results = run_checks(conn)
    finally:
        conn.close()
    if args.json:
        print_json({"ok": all(r.ok for r in results), "checks": [asdict(r) | {"ok": r.ok} for r in results]})
    else:
        for result in results:
            mark = "ok  " if result.ok else "FAIL"
            detail = "" if result.ok else f": {result.violations} violation(s), e.g. {result.examples[:3]}"
            print(f"{mark} {result.name}{detail}")
    return 0 if all(r.ok for r in results) else 1
