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
TIER_RULE_NAMES = ("positioning", "price-band", "learned", "capability")


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
    parser.add_argument(
        "--tier-rule",
        choices=TIER_RULE_NAMES,
        default="positioning",
        help="tier rule (default positioning; price-band is the paper's rule and selects on price)",
    )
    parser.add_argument(
        "--provider-price",
        choices=PROVIDER_SELECTIONS,
        default="first-party",
        help="price of a model with several providers (default first-party, else the median)",
    )
    parser.add_argument("--method", choices=METHODS, default="ols", help="half-life estimator (default ols)")
    parser.add_argument(
        "--draws",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap draws of the half-life and premium intervals (default 1000; the break tests use their "
        "own 999 and 499)",
    )
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
    head = ["figure", "paper", *names, "n", "95% CI", "comparable", "note"]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    first = tables[names[0]]
    for index, row in enumerate(first):
        ours = [_number(tables[name][index].tokentide_value) for name in names]
        unit = f" {row.unit}" if row.unit else ""
        cells = [
            row.figure,
            f"{_number(row.paper_value)}{unit}",
            *ours,
            str(row.n or "—"),
            _interval(row),
            f"{row.comparable}: {row.why}",
            row.note,
        ]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def _decline_line(data: dict[str, Any]) -> str:
    decline = data.get("decline") or {}
    low, high = (decline.get("fitted_fold_ci") or [None, None])[:2]
    interval = f" [{_number(low)}, {_number(high)}]" if low is not None and high is not None else " (no interval)"
    return (
        f"decline over {_number(decline.get('span_years'), 2)} y: fitted trend {_number(decline.get('fitted_fold'))}x"
        f"{interval} (exp(-slope x span) of the all-model trend); extreme pair {_number(data['decline_fold'])}x "
        "(first flagship over the cheapest model since)"
    )


def _half_life_line(label: str, fit: dict[str, Any]) -> str:
    if not fit.get("ok"):
        return f"{label} not fitted: {fit.get('reason')}"
    if fit.get("thin"):
        return f"{label} {_number(fit.get('years'))} y, no interval: {fit.get('thin_reason')} (n={fit['n']})"
    high = "∞" if fit.get("ci_high") is None else _number(fit["ci_high"])
    extra = f" R²={_number(fit.get('r2'), 2)}" if "r2" in fit else ""
    interval = f"[{_number(fit.get('ci_low'))}, {high}]"
    return f"{label} {_number(fit.get('years'))} y {interval}{extra} n={fit['n']} — {fit.get('message') or ''}"


def _premium_line(premium: dict[str, Any]) -> str:
    interval = (
        "no interval: " + str(premium.get("thin_reason"))
        if premium.get("thin")
        else (f"[{_number(premium.get('ci_low'))}, {_number(premium.get('ci_high'))}]")
    )
    ratio, n = _number(premium.get("ratio")), premium.get("n_pairs")
    line = f"reasoning premium {ratio}x {interval} ({premium.get('method')}, n={n})"
    if premium.get("median_ratio") is not None:
        mean = _number(premium.get("arithmetic_mean_ratio"))
        line += f"; median {_number(premium['median_ratio'])}x, arithmetic mean {mean}x"
    if premium.get("n_mismatched"):
        line += f"; {premium['n_mismatched']} mismatched pair(s) left out"
    return line + f"\n  estimator: {premium.get('estimator')}"


def _hhi_line(hhi: dict[str, Any]) -> str:
    if hhi.get("headline_period"):
        line = f"HHI {_number(hhi.get('headline'))} ({hhi.get('headline_period')}, the latest full, not thin period"
        line += f"; basis {hhi.get('basis')})"
    else:
        line = f"HHI: every period is thin or partial (basis {hhi.get('basis')})"
    if hhi.get("latest_period") != hhi.get("headline_period"):
        line += f"\n  latest period {hhi.get('latest_period')}: {_number(hhi.get('latest'))} (partial or thin)"
    thin = [row for row in hhi.get("series") or [] if row.get("thin")]
    if thin:
        periods = ", ".join(f"{row['period']} ({row['thin_reason']})" for row in thin)
        line += f"\n  thin periods (few makers or models; read with care): {periods}"
    return line


def _break_line(data: dict[str, Any]) -> str:
    brk = data.get("break") or {}
    p = (
        "no p: " + str(brk.get("thin_reason"))
        if brk.get("thin") or brk.get("p") is None
        else f"p={_number(brk.get('p'))}"
    )
    head = f"break ({brk.get('kind')}): {brk.get('date')} robust Wald/2={_number(brk.get('statistic'))} {p}"
    return f"{head}\n  estimator: {brk.get('estimator')}"


def render_report(data: dict[str, Any]) -> str:
    lines = [f"as of {data['as_of'] or 'latest data'}: {data['n_models']} models", _decline_line(data)]
    tiers, learned = data["tiers"], data.get("tier_model") or {}
    lines.append(f"tier rule {tiers['label']}: {tiers['n_assigned']} models placed, {tiers['n_unassigned']} not")
    if learned.get("ok"):
        lines.append(f"learned tier rule: {learned['decision']} (n = {learned['n_labelled']} curated models)")
    first: dict[str, Any] = next(iter(data["half_life"].values()), {})
    lines.append(f"half-life estimator: {first.get('estimator')}")
    for tier, fit in data["half_life"].items():
        lines.append(_half_life_line(f"half-life {tier:8}", fit))
    frontier = data.get("frontier_half_life") or {}
    if frontier:
        lines.append(f"frontier half-life estimator: {next(iter(frontier.values())).get('estimator')}")
        for tier, fit in frontier.items():
            lines.append(_half_life_line(f"frontier  {tier:8}", fit))
    premium, hhi, gap = data["reasoning_premium"], data["hhi"], data["us_china"]
    lines.append(_premium_line(premium))
    lines.append(_hhi_line(hhi))
    lines.append(_break_line(data))
    lines.append(f"US/China median price ratio {_number(gap.get('ratio'))} (Mann-Whitney p={_number(gap.get('p'))})")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from tokentide.reporting.report_runner import replication_tables, run_report

    request = request_from(args)
    db: Path = args.db
    if args.replicate:
        from tokentide.reporting.capability_report import epoch_replication_json, epoch_replication_text
        from tokentide.reporting.report_runner import report_scope

        tables = replication_tables(db, request)
        scope = report_scope(db, request)  # Epoch's price-of-capability table, from its inputs and live
        if args.json:
            paper = {k: [r.to_json_dict() for r in v] for k, v in tables.items()}  # unbounded: null + flag
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
