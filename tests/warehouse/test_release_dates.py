"""First-seen dates from successive price-list snapshots, and the reconciled release date per model."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from tests.warehouse.helpers import load_bytes
from tokentide.collectors.default_data import load_default
from tokentide.warehouse.connection import writer
from tokentide.warehouse.queries import intervals_frame
from tokentide.warehouse.release_dates import candidates_frame, chosen_frame, curated_aliases_frame, first_seen_frame


def _map(*keys: str) -> bytes:
    return json.dumps(
        {k: {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai"} for k in keys}
    ).encode()


def _load_litellm(db: Path, snapshots: list[tuple[str, tuple[str, ...]]]) -> None:
    for day, keys in snapshots:
        load_bytes(db, "litellm", _map(*keys), origin=f"wheel-{day}.whl#map.json", as_of=datetime.fromisoformat(day))


def test_first_seen_is_a_dated_fact_only_when_an_earlier_snapshot_did_not_list_the_model(db_path: Path) -> None:
    _load_litellm(db_path, [
        ("2025-01-01", ("alpha-1", "beta-2")),
        ("2025-01-08", ("alpha-1", "beta-2", "gamma-3")),
        ("2025-04-01", ("alpha-1", "beta-2", "gamma-3", "delta-4")),  # 83 days after the previous snapshot
    ])  # fmt: skip
    with duckdb.connect(str(db_path), read_only=True) as conn:
        seen = first_seen_frame(conn).set_index("canonical_model_id")
        chosen = chosen_frame(conn).set_index("canonical_model_id")
    assert bool(seen.loc["alpha-1", "left_censored"]) and bool(seen.loc["beta-2", "left_censored"])
    assert not seen.loc["gamma-3", "left_censored"]
    assert seen.loc["gamma-3", "first_seen_at"] == datetime(2025, 1, 8)
    assert seen.loc["gamma-3", "not_listed_at"] == datetime(2025, 1, 1)
    assert seen.loc["delta-4", "bracket_days"] == 83.0
    # censored models and a bracket wider than 45 days give no date; gamma-3's is an estimate and says so
    assert list(chosen.index) == ["gamma-3"]
    assert chosen.loc["gamma-3", "release_date"] == pd.Timestamp(date(2025, 1, 8))
    assert chosen.loc["gamma-3", "release_date_basis"] == "first seen in litellm price list (estimate)"
    assert bool(chosen.loc["gamma-3", "release_date_is_estimate"])


def test_the_curated_date_outranks_first_seen_and_reaches_the_intervals_frame(db_path: Path) -> None:
    with writer(db_path) as conn:
        load_default(conn)
    _load_litellm(db_path, [("2024-03-01", ("gpt-4",)), ("2024-06-01", ("gpt-4", "gpt-4o-2024-05-13"))])
    with duckdb.connect(str(db_path), read_only=True) as conn:
        candidates = candidates_frame(conn)
        frame = intervals_frame(conn)
        aliases = curated_aliases_frame(conn)
    gpt4o = candidates[candidates["canonical_model_id"] == "gpt-4o"]
    assert set(gpt4o["basis"]) >= {"curated table"}
    rows = frame[frame["canonical_model_id"] == "gpt-4o"]
    assert set(rows["release_date"]) == {datetime(2024, 5, 13)}
    assert set(rows["release_date_basis"]) == {"curated table"}
    assert not rows["release_date_is_estimate"].any()
    assert ("gpt-4o-2024-05-13", "gpt-4o") in set(zip(aliases["alias"], aliases["canonical_model_id"], strict=True))
