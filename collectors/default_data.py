"""The embedded default dataset: curated milestones, the model-prices package history and Epoch AI's score table."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tokentide.collectors import epoch_benchmarks, milestones, model_prices
from tokentide.collectors.loading import load_payload
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.guard import GuardSettings
from tokentide.warehouse.load import LoadOutcome
from tokentide.warehouse.snapshots import Payload, find_same_bytes

DEFAULT_SOURCES = (milestones.SOURCE, model_prices.SOURCE, epoch_benchmarks.SOURCE)
SCORES_ORIGIN = "tokentide/warehouse/reference/benchmark_scores.csv"


def curated_payload() -> Payload:
    """The curated milestones table shipped with tokentide: milestone prices and the positioning tier labels."""
    path = Path(milestones.bundled_path())
    return Payload(milestones.SOURCE, "tokentide/warehouse/reference/milestones.csv", path.read_bytes(), utc_now())


def default_payloads() -> list[Payload]:
    now = utc_now()
    prices_path = Path(model_prices.bundled_path())
    scores_path = Path(milestones.bundled_path()).with_name("benchmark_scores.csv")
    return [
        curated_payload(),
        Payload(
            model_prices.SOURCE, "model-prices 0.0.5 (PyPI) model_prices/snapshot.json", prices_path.read_bytes(), now
        ),
        Payload(epoch_benchmarks.SOURCE, SCORES_ORIGIN, scores_path.read_bytes(), now),
    ]


def is_empty(conn: duckdb.DuckDBPyConnection) -> bool:
    row = conn.execute("SELECT count(*) FROM raw_snapshots WHERE status = 'applied'").fetchone()
    return not row or row[0] == 0


def load_default(conn: duckdb.DuckDBPyConnection, guard: GuardSettings | None = None) -> list[LoadOutcome]:
    """Load the bundled default (idempotent: unchanged bytes add nothing)."""
    return [load_payload(conn, p, guard or GuardSettings(), kind="default") for p in default_payloads()]


def ensure_curated(conn: duckdb.DuckDBPyConnection, guard: GuardSettings | None = None) -> LoadOutcome | None:
    """Load the bundled curated table unless these exact bytes are already applied, so its tier labels (and
    what the learned tier rule learns from them) are there whatever command a user runs first. Returns the
    outcome when it loaded, None when nothing was needed (no run-log row is written then)."""
    payload = curated_payload()
    if any(s.status == "applied" for s in find_same_bytes(conn, payload.source, payload.sha256)):
        return None
    return load_payload(conn, payload, guard or GuardSettings(), kind="default")


def ensure_default(conn: duckdb.DuckDBPyConnection) -> list[LoadOutcome]:
    """On an empty warehouse, load the embedded default; otherwise do nothing."""
    return load_default(conn) if is_empty(conn) else []
