"""`tokentide report`: the headline figures as text or a stable JSON object, and the paper replication."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokentide.analytics.tier_names import TIERS
from tokentide.commands.common import print_json

if TYPE_CHECKING:
    from tokentide.analytics.replication import ReplicationRow
    from tokentide.reporting.report_runner import ReportRequest

# Choices spelled out so `tokentide --help` need not import pandas and scipy (the tier names come from the
# import-free analytics.tier_names); a test keeps them equal to the analytics' own (halflife.METHODS,
# prices.PROVIDER_SELECTIONS, tiers.TIER_RULES).
METHODS = ("ols", "theil-sen")
PROVIDER_SELECTIONS = ("first-party", "median", "cheapest")
TIER_RULE_NAMES = ("positioning", "price-band", "capability")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="headline figures (text or --json) and the paper replication")
    parser.add_argument("--json", action="store_true", help="print the stable JSON object (keys in docs/methods.md)")
    parser.add_argument("--replicate", action="store_true", help="the paper's figures beside tokentide's")
    parser.add_argument("--as-of", metavar="DATE", help="the data as it stood at the end of DATE (UTC)")
    parser.add_argument("--tier", action="append", choices=TIERS, help="keep this tier (repeatable)")
    parser.add_argument("--provider", action="append", metavar="P", help="keep this serving provider (repeatable)")
    parser.add_argument("--author", action="append", metavar="A", help="keep this model maker (repeatable)")
    parser.add_argument("--country", action="append", metavar="CC", help="keep makers from this ISO country")
    parser.add_argument("--weights", default="3:1", metavar="IN:OUT", help="blend weights (default 3:1)")
    parser.add_argument("--tier-rule", choices=TIER_RULE_NAMES, default="positioning", help="tier rule")
    parser.add_argument(
        "--provider-price",
        choices=PROVIDER_SELECTIONS,
        default="first-party",
        help="price of a model with several providers (default first-party, else the median)",
    )
    parser.add_argument("--method", choices=METHODS, default="ols", help="half-life estimator (default ols)")
    parser.add_argument("--draws", type=int, default=1000, metavar="N", help="bootstrap draws (default 1000)")
    parser.set_defaults(run=run)


def request_from(args: argparse.Namespace) -> ReportRequest:
    from tokentide.reporting.report_runner import ReportRequest

    return ReportRequest(
        as_of=args.as_of,
        tiers=tuple(args.tier or ()),
        providers=tuple(args.provider or ()),
        authors=tuple(args.author or ()),
        countries=tuple(c.upper() for c in args.country or ()),
        weights=args.weights,
        tier_rule=args.tier_rule,
        provider_price=args.provider_price,
        method=args.method,
        draws=args.draws,
    )


def _number(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"


def _interval(row: ReplicationRow) -> str:
    if not row.interval:
        return ""
    low, high = row.interval
    return f"[{_number(low)}, {'∞' if high is None else _number(high)}]"


def render_replication(tables: dict[str, list[ReplicationRow]]) -> str:
    names = list(tables)
    head = ["figure", "paper", *names, "n", "95% CI", "note"]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    first = tables[names[0]]
    for index, row in enumerate(first):
        ours = [_number(tables[name][index].tokentide_value) for name in names]
        unit = f" {row.unit}" if row.unit else ""
        cells = [row.figure, f"{_number(row.paper_value)}{unit}", *ours, str(row.n or "—"), _interval(row), row.note]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def render_report(data: dict[str, Any]) -> str:
    lines = [
        f"as of {data['as_of'] or 'latest data'}: {data['n_models']} models; decline "
        f"{_number(data['decline_fold'])}x from the first flagship to the cheapest model since"
    ]
    for tier, fit in data["half_life"].items():
        if fit.get("ok"):
            high = "∞" if fit.get("ci_high") is None else _number(fit["ci_high"])
            lines.append(
                f"half-life {tier:8} {_number(fit.get('years'))} y [{_number(fit.get('ci_low'))}, {high}] "
                f"R²={_number(fit.get('r2'), 2)} n={fit['n']} — {fit.get('message') or ''}"
            )
        else:
            lines.append(f"half-life {tier:8} not fitted: {fit.get('reason')}")
    premium, hhi, chow, gap = data["reasoning_premium"], data["hhi"], data["chow"], data["us_china"]
    interval = f"[{_number(premium.get('ci_low'))}, {_number(premium.get('ci_high'))}]"
    lines.append(
        f"reasoning premium {_number(premium.get('ratio'))}x {interval} "
        f"({premium.get('method')}, n={premium.get('n_pairs')})"
    )
    lines.append(f"HHI {_number(hhi.get('latest'))} ({hhi.get('latest_period')}, basis {hhi.get('basis')})")
    lines.append(f"Chow break at {chow.get('date')}: F={_number(chow.get('f'))} p={_number(chow.get('p'))}")
    lines.append(f"US/China median price ratio {_number(gap.get('ratio'))} (Mann-Whitney p={_number(gap.get('p'))})")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from tokentide.reporting.report_runner import replication_tables, run_report

    request = request_from(args)
    db: Path = args.db
    if args.replicate:
        from tokentide.reporting.capability_report import epoch_replication_json, epoch_replication_text, strict_json
        from tokentide.reporting.report_runner import report_scope

        tables = replication_tables(db, request)
        scope = report_scope(db, request)  # Epoch's price-of-capability table, from its inputs and live
        if args.json:
            paper = {k: [strict_json(r.__dict__) for r in v] for k, v in tables.items()}  # an unbounded CI is null
            print_json(
                {"paper": "arXiv 2603.28576", "tables": paper, "epoch_capability": epoch_replication_json(scope)}
            )
        else:
            print(render_replication(tables) + "\n\n" + epoch_replication_text(scope))
        return 0
    data = run_report(db, request)
    if args.json:
        print_json(data)
    else:
        print(render_report(data))
    return 0
