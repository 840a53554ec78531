"""Computing reports from the warehouse for the CLI, with the dashboard's own filters and scope."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokentide.analytics.replication import ReplicationRow, replication_rows
from tokentide.analytics.report import build_report
from tokentide.analytics.tier_model_json import tier_model_json
from tokentide.analytics.tiers import DEFAULT_TIER_RULE
from tokentide.collectors.default_data import DEFAULT_SOURCES
from tokentide.reporting.capability_report import capability_json
from tokentide.reporting.dataset import default_intervals, load_dataset, reasoning_pairs
from tokentide.reporting.filters import parse_filters
from tokentide.reporting.prepare import prepare
from tokentide.reporting.scope import Scope, build_scope
from tokentide.warehouse.publish import published_path

CURATED_SOURCE: str = DEFAULT_SOURCES[0]  # milestones: the curated table with the tier labels


@dataclass(frozen=True)
class ReportRequest:
    as_of: str | None = None
    tiers: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    weights: str = "3:1"
    tier_rule: str = DEFAULT_TIER_RULE
    provider_price: str = "first-party"
    method: str = "ols"
    draws: int = 1000

    def query(self) -> dict[str, str | list[str]]:
        """The same URL-query shape the dashboard parses, so the CLI and the app filter identically."""
        query: dict[str, str | list[str]] = {
            "tier": list(self.tiers),
            "provider": list(self.providers),
            "author": list(self.authors),
            "country": list(self.countries),
            "w": self.weights,
            "rule": self.tier_rule,
            "pick": self.provider_price,
        }
        if self.as_of:
            query["asof"] = self.as_of
        return query


def ensure_data(db: Path) -> None:
    """As the app does: an empty or missing warehouse first gets the embedded default."""
    if not published_path(db).exists() and not db.exists():
        prepare(db)
        return
    dataset = load_dataset(db)
    if dataset.is_empty or CURATED_SOURCE not in dataset.sources:
        prepare(db)  # also loads the curated table into a warehouse that lacks it


def run_report(db: Path, request: ReportRequest) -> dict[str, Any]:
    ensure_data(db)
    filters = parse_filters(request.query())
    scope = build_scope(load_dataset(db), filters)
    report = build_report(
        scope.intervals,
        as_of=scope.moment if filters.as_of else None,
        tier_rule=filters.tier_rule,
        tier_overrides={str(k): str(v) for k, v in scope.assignment.tiers.dropna().items()},
        weights=filters.weights,
        provider=filters.pick,
        pairs=scope.pairs,
        method=request.method,
        bootstrap_draws=request.draws,
        filters=filters.describe(),
    )
    data: dict[str, Any] = report.to_json_dict()
    # Tiers were placed once on the whole market (as in the app) and handed to the report as fixed; the
    # overrides that count are the user's own from [tiers.overrides].
    data["tiers"]["n_overridden"] = scope.assignment.n_overridden
    data["tiers"]["unmatched_overrides"] = list(scope.assignment.unmatched_overrides)
    if scope.tier_model is not None:
        data["tier_model"] = tier_model_json(scope.tier_model, scope.launch, default_rule=DEFAULT_TIER_RULE)
    data["warnings"] = list(filters.warnings)
    data["capability"] = capability_json(scope)
    return data


PAPERS_RULE: str = "price-band"  # the paper's rule, as tokentide reads it: tiers chosen by price
PAPERS_RULE_TABLE: str = "your warehouse, price-band tiers (the paper's rule: selects on price)"


def report_scope(db: Path, request: ReportRequest) -> Scope:
    """The scope the report's filters select (the embedded default first fills an empty warehouse)."""
    ensure_data(db)
    return build_scope(load_dataset(db), parse_filters(request.query()))


def _rows(intervals: Any, request: ReportRequest, tier_rule: str | None = None) -> list[ReplicationRow]:
    report = build_report(
        intervals,
        pairs=reasoning_pairs(),
        weights=request.weights,
        method=request.method,
        tier_rule=tier_rule or request.tier_rule,
        provider=request.provider_price,
        bootstrap_draws=request.draws,
    )
    return list(replication_rows(report))


def replication_tables(db: Path, request: ReportRequest) -> dict[str, list[ReplicationRow]]:
    """The paper's figures beside tokentide's on the embedded default, on the warehouse when it holds more
    than the default, and on the warehouse with the paper's rule (price-band tiers) — computed, never copied."""
    tables = {"embedded default": _rows(default_intervals(), request)}
    ensure_data(db)
    dataset = load_dataset(db)
    if set(dataset.sources) - set(DEFAULT_SOURCES):
        tables["your warehouse"] = _rows(dataset.intervals, request)
    if request.tier_rule != PAPERS_RULE:  # the same figures with tiers picked by price, beside the chosen rule
        tables[PAPERS_RULE_TABLE] = _rows(dataset.intervals, request, PAPERS_RULE)
    return tables
