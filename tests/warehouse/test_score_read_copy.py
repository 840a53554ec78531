"""Benchmark scores reach the readers' copy, by a whole-file copy first and by the incremental sync after."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import fixture_bytes
from tests.warehouse.helpers import load_bytes
from tokentide.collectors.loading import reparse_source
from tokentide.warehouse.connection import reader, writer
from tokentide.warehouse.scores import scores_frame


def published_scores(db: Path) -> dict[str, int]:
    with reader(db) as conn:
        return scores_frame(conn).groupby("source").size().to_dict()


def test_scores_are_published_then_synced_and_a_reparse_keeps_them(db_path: Path) -> None:
    load_bytes(db_path, "epoch-benchmarks", fixture_bytes("epoch-lbe_2025-03-13_inputs_trimmed.csv"))
    assert published_scores(db_path) == {"epoch-benchmarks": 322}
    load_bytes(db_path, "artificial-analysis", fixture_bytes("artificial-analysis_constructed.json"))
    counts = published_scores(db_path)
    assert counts["epoch-benchmarks"] == 322 and counts["artificial-analysis"] > 0
    with writer(db_path) as conn:
        reparse_source(conn, "epoch-benchmarks")
    assert published_scores(db_path) == counts  # re-parsed from the raw bytes: the same rows, synced again
