"""Replay recorded daily OpenRouter catalogues through a MockTransport: the change log must list exactly what
a plain diff of consecutive payloads finds, and days without changes add no interval rows.

The diff below is written independently of tokentide's parsers: json.loads, the pricing strings times a
million, compared at the warehouse's stated precision (DECIMAL(24, 9) USD per Mtok, rounded half up).
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.collectors.helpers import FakeClock, client_factory, settings
from tests.conftest import FIXTURES
from tokentide.collectors.run import Collector
from tokentide.warehouse.asof import date_in_name

TRIMMED = FIXTURES / "openrouter_replay"
SHARED_DAILY = (
    Path(os.environ.get("TOKENTIDE_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")
    / "openrouter"
    / "models_api"
    / "skissue_daily"
)
PER_TOKEN = {
    "usd_per_mtok_input": "prompt", "usd_per_mtok_output": "completion",
    "usd_per_mtok_cache_read": "input_cache_read", "usd_per_mtok_cache_write": "input_cache_write",
    "usd_per_mtok_reasoning": "internal_reasoning",
}  # fmt: skip
PER_ITEM = {"usd_per_request": "request", "usd_per_image": "image"}
NANO = Decimal("0.000000001")


def _price(text: object, factor: int) -> Decimal | None:
    if text in (None, "", "-1"):  # absent, empty and OpenRouter's "variable" are unknown
        return None
    return (Decimal(str(text)) * factor).quantize(NANO, rounding=ROUND_HALF_UP).normalize()


def plain_prices(raw: bytes) -> dict[str, dict[str, Decimal | None]]:
    doc = json.loads(raw)
    entries = doc["data"] if isinstance(doc, dict) else doc
    table = {}
    for entry in entries:
        pricing = entry.get("pricing") or {}
        row = {f: _price(pricing.get(k), 1_000_000) for f, k in PER_TOKEN.items()}
        row |= {f: _price(pricing.get(k), 1) for f, k in PER_ITEM.items()}
        table[entry["id"]] = row
    return table


def _state(row: dict[str, Decimal | None]) -> str:
    i, o = row["usd_per_mtok_input"], row["usd_per_mtok_output"]
    return "unknown" if i is None or o is None else "free" if i == 0 and o == 0 else "paid"


@dataclass
class DayDiff:
    moves: set[tuple] = field(default_factory=set)  # (model, field, old, new)
    listed: set[str] = field(default_factory=set)
    delisted: set[str] = field(default_factory=set)
    flips: set[tuple[str, str]] = field(default_factory=set)  # (model, "free_to_paid" | "paid_to_free")

    @property
    def keys_with_new_prices(self) -> int:
        return len({m for m, *_ in self.moves} | self.listed)


def plain_diff(before: dict, after: dict) -> DayDiff:
    diff = DayDiff(listed=set(after) - set(before), delisted=set(before) - set(after))
    for model in set(before) & set(after):
        old, new = before[model], after[model]
        diff.moves |= {(model, f, old[f], new[f]) for f in old if old[f] != new[f]}
        states = (_state(old), _state(new))
        if states in (("free", "paid"), ("paid", "free")):
            diff.flips.add((model, f"{states[0]}_to_{states[1]}"))
    return diff


def _norm(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


def logged(conn: duckdb.DuckDBPyConnection, snapshot_id: int) -> DayDiff:
    rows = conn.execute(
        "SELECT model_id, event, field, old_value, new_value FROM price_changes WHERE snapshot_id = ?", [snapshot_id]
    ).fetchall()
    day = DayDiff()
    for model, event, name, old, new in rows:
        if event == "price_change":
            day.moves.add((model, name, _norm(old), _norm(new)))
        elif event in ("new_model", "relisted"):
            day.listed.add(model)
        elif event == "delisted":
            day.delisted.add(model)
        else:
            day.flips.add((model, event))
    return day


def capture_times(files: list[Path]) -> list[datetime]:
    """Midnight of the file's date, an hour apart for several commits on one day."""
    times, per_day = [], {}
    for path in files:
        day = date_in_name(path.name)
        assert day is not None
        times.append(day + timedelta(hours=per_day.get(day, 0)))
        per_day[day] = per_day.get(day, 0) + 1
    return times


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def replay(db: Path, files: list[Path]) -> dict[str, int]:
    payloads = [read(p) for p in files]
    current = {"raw": b""}
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=current["raw"], headers={"Content-Type": "application/json"})

    config = settings(db, {"openrouter": {}}, alerts={"atom_path": "", "jsonl_path": ""})
    collector = Collector(db, config, client_factory=client_factory(handler), timing=clock.timing())
    seen = {"days": 0, "moves": 0, "listed": 0, "delisted": 0, "flips": 0, "quiet_days": 0}
    previous: dict | None = None
    for path, raw, at in zip(files, payloads, capture_times(files), strict=True):
        current["raw"], clock.wall = raw, at
        before = _interval_rows(db)
        outcome = collector.run("openrouter")
        assert outcome.status == "added", (path.name, outcome.summary_line())
        table = plain_prices(raw)
        added_rows = _interval_rows(db) - before
        if previous is None:
            assert added_rows == len(table)  # the baseline
        else:
            expected = plain_diff(previous, table)
            with duckdb.connect(str(db), read_only=True) as conn:
                got = logged(conn, outcome.snapshot_id)
            assert got.moves == expected.moves, path.name
            assert (got.listed, got.delisted, got.flips) == (expected.listed, expected.delisted, expected.flips)
            assert added_rows == expected.keys_with_new_prices, path.name  # write only on change
            seen["moves"] += len(expected.moves)
            seen["listed"] += len(expected.listed)
            seen["delisted"] += len(expected.delisted)
            seen["flips"] += len(expected.flips)
            seen["quiet_days"] += expected.keys_with_new_prices == 0
        previous, seen["days"] = table, seen["days"] + 1
    clock.advance(60)  # the same bytes again: a run is logged, nothing is added
    before = _interval_rows(db)
    assert collector.run("openrouter").status == "unchanged" and _interval_rows(db) == before
    return seen


def _interval_rows(db: Path) -> int:
    if not db.exists():
        return 0
    with duckdb.connect(str(db), read_only=True) as conn:
        return int(conn.execute("SELECT count(*) FROM price_intervals").fetchone()[0])


def test_replay_of_the_trimmed_daily_series_matches_a_plain_diff(db_path: Path) -> None:
    files = sorted(TRIMMED.glob("*.json"))
    assert len(files) == 8
    seen = replay(db_path, files)
    # the trimmed week holds moves, a relisting, delistings, a free->paid flip and a day without changes
    assert seen["moves"] >= 20 and seen["listed"] >= 2 and seen["delisted"] >= 2 and seen["flips"] == 1
    assert seen["quiet_days"] >= 1


@pytest.mark.slow
@pytest.mark.skipif(
    not SHARED_DAILY.is_dir(),
    reason=f"the recorded daily series is not here: {SHARED_DAILY} "
    "(it lives in the workplace's shared data, not in the repo; the trimmed replay covers CI)",
)
def test_replay_of_all_63_daily_payloads_matches_a_plain_diff(db_path: Path) -> None:
    files = sorted(SHARED_DAILY.glob("*.json.gz"))
    assert len(files) == 63
    seen = replay(db_path, files)
    assert seen["days"] == 63 and seen["moves"] > 100 and seen["quiet_days"] >= 3
