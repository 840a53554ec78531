"""Everything the dashboard reads from the warehouse, in one immutable bundle (no Streamlit here)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from tokentide.collectors.registry import SOURCES
from tokentide.reporting import dashboard_queries
from tokentide.settings.config import ConfigError, load_settings, public_url
from tokentide.settings.paths import DB_ENV, default_db_path
from tokentide.warehouse.connection import reader
from tokentide.warehouse.estimate_history import estimate_history_frame
from tokentide.warehouse.naming import reference_rows
from tokentide.warehouse.price_changes import ChangeLogMissing, PriceChange, changes_frame, discrepancies_frame
from tokentide.warehouse.publish import published_path
from tokentide.warehouse.queries import intervals_frame, models_frame
from tokentide.warehouse.scores import empty_scores, scores_frame
from tokentide.warehouse.status import WarehouseStatus, warehouse_status

PROJECT_LINE: str = "tokentide (open-source LLM API price tracker)"
DISCREPANCY_PCT: float = 1.0  # sources more than this far apart on a current price are shown


def db_path_from_env() -> Path:
    """The warehouse the app reads: $TOKENTIDE_DB (set by `tokentide app`) or the per-user default."""
    env = os.environ.get(DB_ENV)
    return Path(env).expanduser() if env else default_db_path()


def data_version(db_path: Path) -> str:
    """Changes whenever a writer publishes: cache keys include it so new data shows up at once."""
    for candidate in (published_path(db_path), db_path):
        try:
            stat = candidate.stat()
        except FileNotFoundError:
            continue
        return f"{candidate.name}:{stat.st_mtime_ns}:{stat.st_size}"
    return "missing"


def licence_of(source: str) -> str:
    module = SOURCES.get(source)
    return str(getattr(module, "LICENCE", "licence not recorded")) if module else "licence not recorded"


def short_licence(source: str) -> str:
    """'MIT (pydantic/genai-prices)' -> 'MIT'; 'OpenRouter API output; ...' -> 'OpenRouter API output'."""
    text = licence_of(source)
    return text.split(";", 1)[0].split(" (", 1)[0].strip()


PAIR_COLUMNS: tuple[str, ...] = ("reasoning_model_id", "base_model_id", "author", "relation", "source_url", "note")


def reasoning_pairs() -> pd.DataFrame:
    """The curated matched pairs (ids as the maker publishes them; analytics resolve them)."""
    return pd.DataFrame(reference_rows("reasoning_pairs.csv"), columns=list(PAIR_COLUMNS))


@dataclass(frozen=True)
class Dataset:
    """A read of the published warehouse; treat every frame as read-only (it is shared between reruns)."""

    db_path: Path
    version: str
    intervals: pd.DataFrame
    models: pd.DataFrame
    status: WarehouseStatus
    runs: pd.DataFrame
    quarantine: pd.DataFrame
    snapshot_status: pd.DataFrame
    pairs: pd.DataFrame
    pairs_key: str  # content hash of `pairs`, computed once: a cache key that costs nothing per rerun
    changes: pd.DataFrame  # the warehouse's price-change log (warehouse/changes.py), one row per event
    discrepancies: pd.DataFrame  # current prices two sources state apart
    estimates: pd.DataFrame  # the half-life estimate as recorded each day (warehouse/estimate_history.py)
    tier_overrides: Mapping[str, str] = field(default_factory=dict)  # [tiers.overrides] from the config
    config_problem: str | None = None  # the config file could not be read: defaults are in use
    scores: pd.DataFrame = field(default_factory=empty_scores)  # benchmark scores (warehouse/scores.py)
    public_url: str | None = None  # [app] public_url: the base of shared permalinks
    _options: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def data_as_of(self) -> pd.Timestamp | None:
        stamps = [s.data_as_of for s in self.status.sources if s.data_as_of is not None]
        return pd.Timestamp(max(stamps)).tz_localize("UTC") if stamps else None

    @property
    def sources(self) -> list[str]:
        return sorted(self.intervals["source"].dropna().unique().tolist())

    def options(self, column: str) -> list[str]:
        """Distinct values of a column, for the filter widgets (computed once per dataset)."""
        if column not in self._options:
            self._options[column] = sorted(str(v) for v in self.intervals[column].dropna().unique())
        return self._options[column]

    @property
    def is_empty(self) -> bool:
        return self.intervals.empty


def _tier_settings() -> dict[str, Any]:
    """The user's tier overrides and public URL; a broken config file is reported, not fatal, for a read-only
    dashboard."""
    try:
        settings = load_settings(None)
        return {"tier_overrides": settings.tier_overrides, "public_url": public_url(settings)}
    except ConfigError as exc:
        return {"tier_overrides": {}, "config_problem": str(exc)}


def load_dataset(db_path: Path) -> Dataset:
    """Read the published copy of the warehouse (never blocks a writer)."""
    version = data_version(db_path)
    pairs = reasoning_pairs()
    with reader(db_path) as conn:
        return Dataset(
            db_path=db_path,
            version=version,
            intervals=intervals_frame(conn),
            models=models_frame(conn),
            status=warehouse_status(conn, db_path),
            runs=dashboard_queries.run_log(conn),
            quarantine=dashboard_queries.quarantine_counts(conn),
            snapshot_status=dashboard_queries.snapshot_status(conn),
            pairs=pairs,
            pairs_key=hashlib.sha256(pairs.to_json().encode()).hexdigest(),
            changes=_change_log(conn),
            discrepancies=_discrepancies(conn),
            **_tier_settings(),
            estimates=_estimates(conn),
            scores=scores_frame(conn),
        )


CHANGE_COLUMNS: tuple[str, ...] = tuple(PriceChange.__dataclass_fields__)


def _change_log(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    try:
        return changes_frame(conn)
    except ChangeLogMissing:  # a warehouse from before the change log: show no changes rather than fail
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))


def _estimates(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    try:
        return estimate_history_frame(conn)
    except duckdb.CatalogException:  # a published copy from before the estimate history existed
        return pd.DataFrame(columns=["estimated_on", "tier", "window_months", "half_life_years"])


def _discrepancies(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return discrepancies_frame(conn, DISCREPANCY_PCT)


def default_intervals() -> pd.DataFrame:
    """The embedded default dataset's intervals, loaded into a throwaway in-memory warehouse."""
    from tokentide.collectors.default_data import load_default
    from tokentide.warehouse.migrations_runner import migrate
    from tokentide.warehouse.reference_sync import sync_reference

    conn = duckdb.connect(":memory:")
    try:
        migrate(conn)
        sync_reference(conn)
        load_default(conn)
        return intervals_frame(conn)
    finally:
        conn.close()
