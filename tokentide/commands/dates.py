"""`tokentide dates`: the release date chosen for each model, its basis, conflicts and alias suggestions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tokentide.analytics.alias_suggest import DEFAULT_THRESHOLD, METHOD, precision_on, suggest_aliases
from tokentide.analytics.release_dates import CONFLICT_DAYS
from tokentide.commands.common import print_json
from tokentide.reporting.release_dates import release_date_summary
from tokentide.warehouse.connection import reader
from tokentide.warehouse.release_dates import candidates_frame, curated_aliases_frame, priced_models


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dates", help="release dates per model: chosen date and basis, conflicts, aliases")
    parser.add_argument("--conflicts", action="store_true", help=f"list candidates > {CONFLICT_DAYS} days apart")
    parser.add_argument("--json", action="store_true", help="print the summary (and conflicts) as strict JSON")
    parser.add_argument(
        "--suggest-aliases", type=Path, default=None, metavar="CSV",
        help="write proposed aliases for models without a sourced date to CSV, for review (nothing is merged)",
    )  # fmt: skip
    parser.add_argument(
        "--min-score", type=float, default=DEFAULT_THRESHOLD,
        help=f"cosine similarity at or above which a suggestion is proposed (default {DEFAULT_THRESHOLD})",
    )  # fmt: skip
    parser.set_defaults(run=run)


def _print_text(result: dict[str, Any], show_conflicts: bool) -> None:
    lag = result["first_seen_lag"]
    print(f"{result['models_dated']} of {result['models_priced']} priced models have a release date")
    for basis, n in result["dated_by_basis"].items():
        print(f"  {n:6}  {basis}")
    if lag["ok"]:
        print(
            f"first seen vs curated/Epoch dates ({lag['n']} models): median lag {lag['median_lag_days']:.0f} days, "
            f"{lag['share_within_14_days']:.0%} within 14 days, {lag['share_within_30_days']:.0%} within 30 days"
        )
    else:
        print(f"first seen vs curated/Epoch dates: too thin to say ({lag['reason']})")
    print(f"{result['conflicts']} candidate dates more than {result['conflict_days']} days from the chosen one"
          + ("" if show_conflicts else " (list them with --conflicts)"))  # fmt: skip
    if show_conflicts:
        for row in result["conflict_rows"]:
            print(
                f"  {row['canonical_model_id']}: chosen {row['chosen_date']} ({row['chosen_basis']}), "
                f"{row['other_basis']} says {row['other_date']} ({row['gap_days']:+d} days)"
            )


def _write_suggestions(conn: Any, path: Path, threshold: float) -> str:
    candidates = candidates_frame(conn)
    known = sorted(set(candidates.loc[~candidates["is_estimate"].astype(bool), "canonical_model_id"]))
    unmatched = sorted(set(priced_models(conn)) - set(known))
    suggestions = suggest_aliases(unmatched, known, threshold=threshold)
    path.parent.mkdir(parents=True, exist_ok=True)
    suggestions.assign(decision="").to_csv(path, index=False)
    check = precision_on(curated_aliases_frame(conn), known, threshold)
    measured = f"precision {check.precision:.0%}" if check.precision is not None else "nothing proposed"
    return (
        f"wrote {len(suggestions)} suggestions ({int(suggestions['proposed'].sum())} proposed at >= {threshold}) "
        f"to {path}; {METHOD}; on {check.n_labelled} curated aliases: {measured}, "
        f"{check.n_proposed} proposed; nothing is merged: review the CSV"
    )


def run(args: argparse.Namespace) -> int:
    with reader(args.db) as conn:
        result = release_date_summary(conn)
        note = _write_suggestions(conn, args.suggest_aliases, args.min_score) if args.suggest_aliases else None
    if not args.conflicts:
        result.pop("conflict_rows")
    if args.json:
        print_json(result)
    else:
        _print_text(result, args.conflicts)
    if note:  # with --json, stdout stays one JSON object
        print(note, file=sys.stderr if args.json else sys.stdout)
    return 0
