"""Bounded caches for the app, keyed on the published warehouse file's version so new data shows at once.

The dataset and scopes are large frames shared read-only between reruns and sessions, so they live in
st.cache_resource (no copy per rerun: a warm rerun stays as fast as an empty page); every cache has
max_entries and a ttl. Analyses are memoised on the scope (see Scope.memo), so each is computed once
per filter state and options.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from tokentide.analytics.report import Report
from tokentide.reporting import scoped_analyses
from tokentide.reporting.dataset import Dataset, data_version, db_path_from_env, load_dataset
from tokentide.reporting.filters import Filters
from tokentide.reporting.scope import Scope, build_scope
from tokentide.warehouse.connection import WarehouseError

DATASET_TTL_S: int = 3600
SCOPE_TTL_S: int = 3600
SCOPE_ENTRIES: int = 32


@st.cache_resource(ttl=DATASET_TTL_S, max_entries=2, show_spinner="Reading the warehouse…")
def _dataset(db: str, version: str) -> Dataset:
    return load_dataset(Path(db))


@st.cache_resource(ttl=SCOPE_TTL_S, max_entries=SCOPE_ENTRIES, show_spinner="Applying filters…")
def _scope(db: str, version: str, filters_key: str, _filters: Filters) -> Scope:
    return build_scope(_dataset(db, version), _filters)


def dataset() -> tuple[Dataset | None, str | None]:
    """The current dataset, or None and a one-line reason (no warehouse yet, unreadable file)."""
    db = db_path_from_env()
    version = data_version(db)
    if version == "missing":
        return None, f"No warehouse at {db}. Start the dashboard with `tokentide app`: it loads the embedded default."
    try:
        return _dataset(str(db), version), None
    except WarehouseError as exc:
        return None, str(exc)


def scope(data: Dataset, filters: Filters) -> Scope:
    return _scope(str(data.db_path), data.version, filters.key, filters)


@st.cache_resource(ttl=24 * 3600, max_entries=1, show_spinner="Computing the embedded default's figures…")
def default_report(pairs_key: str, _pairs: pd.DataFrame) -> Report:
    """The replication figures on the embedded default (the data ships with tokentide, so it rarely changes)."""
    return scoped_analyses.default_report(_pairs)
