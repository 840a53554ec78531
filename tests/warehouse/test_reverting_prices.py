"""A price that goes back to an earlier day's exact bytes is a change, for dated files as for collected ones."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import fixture_bytes
from tests.warehouse.helpers import query
from tokentide.cli import main

DAY_A = fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json")
DAY_B = fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json")  # deepseek-chat-v3-0324 0.20 -> 0.19


def test_bytes_seen_before_but_dated_later_reopen_the_old_price(tmp_path: Path) -> None:
    files = []
    for day, raw in ((1, DAY_A), (2, DAY_B), (3, DAY_A)):  # the cut is reverted on day 3
        path = tmp_path / f"openrouter_2026-03-0{day}.json"
        path.write_bytes(raw)
        files.append(str(path))
    db = str(tmp_path / "w.duckdb")
    assert main(["--db", db, "ingest", "--source", "openrouter", *files]) == 0
    prices = query(
        Path(db),
        "SELECT strftime(valid_from, '%m-%d'), strftime(valid_to, '%m-%d'), CAST(usd_per_mtok_input AS VARCHAR) "
        "FROM price_intervals WHERE model_id = 'deepseek/deepseek-chat-v3-0324' ORDER BY valid_from",
    )
    assert prices == [
        ("03-01", "03-02", "0.200000000"),
        ("03-02", "03-03", "0.190000000"),
        ("03-03", None, "0.200000000"),
    ]
    assert main(["--db", db, "ingest", "--source", "openrouter", *files]) == 0  # a second pass adds nothing
    assert query(Path(db), "SELECT count(*) FROM raw_snapshots WHERE source = 'openrouter'") == [(3,)]
