"""The read copy synced by change equals the warehouse, table by table, after every kind of write."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, fixture_bytes
from tests.warehouse.helpers import load_bytes
from tokentide.collectors.loading import compact, reparse_source
from tokentide.warehouse import publish as publishing
from tokentide.warehouse.connection import reader, writer
from tokentide.warehouse.guard import GuardSettings
from tokentide.warehouse.publish import publish_read_copy, published_path
from tokentide.warehouse.read_copy import WRITER_ONLY_TABLES

REPLAY = sorted((FIXTURES / "openrouter_replay").glob("*.json"))


def tables(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as conn:
        names = [r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal").fetchall()]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}  # noqa: S608


def assert_copy_equals_warehouse(db: Path) -> None:
    """Every table equal, but the observation rows, which read copies leave out (only writers use them)."""
    main, copy = tables(db), tables(published_path(db))
    assert copy.keys() == main.keys()
    for name in main:
        expected = [] if name in WRITER_ONLY_TABLES else main[name]
        assert copy[name] == expected, f"{name} differs in the read copy"
    assert main["observations"], "the warehouse file keeps them"


def modes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = publishing.publish_read_copy

    def spy(conn: duckdb.DuckDBPyConnection, db: Path) -> publishing.PublishResult:
        result = real(conn, db)
        seen.append(result.mode)
        return result

    monkeypatch.setattr(publishing, "publish_read_copy", spy)
    return seen


def test_every_kind_of_write_reaches_the_copy_exactly(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = modes(monkeypatch)
    for path in REPLAY[:5]:  # new snapshots: prices move, models appear and vanish
        load_bytes(db_path, "openrouter", path.read_bytes(), origin=path.name)
        assert_copy_equals_warehouse(db_path)
    load_bytes(db_path, "openrouter", REPLAY[2].read_bytes(), origin="again.json")  # same bytes: a run, no rows
    assert_copy_equals_warehouse(db_path)
    load_bytes(db_path, "litellm", fixture_bytes("litellm_2026-11-12_excerpt.json"))  # another source
    shrunk = json.dumps(json.loads(REPLAY[5].read_bytes())[:2] if REPLAY[5].read_bytes().lstrip()[:1] == b"["
                        else {"data": json.loads(REPLAY[5].read_bytes())["data"][:2]}).encode()  # fmt: skip
    guarded = load_bytes(db_path, "openrouter", shrunk, origin="shrunk.json", as_of=datetime(2026, 3, 10))
    assert guarded.status == "guarded"
    assert_copy_equals_warehouse(db_path)
    forced = load_bytes(db_path, "openrouter", shrunk, origin="shrunk.json", force=True,
                        guard=GuardSettings())  # fmt: skip
    assert forced.status == "added"  # a reused snapshot id closes intervals: the copy must see the closings
    assert_copy_equals_warehouse(db_path)
    with writer(db_path) as conn:
        compact(conn)  # observations deleted and folded
    assert_copy_equals_warehouse(db_path)
    late = REPLAY[6].read_bytes()
    load_bytes(db_path, "openrouter", late, origin="late.json", as_of=datetime(2026, 2, 1))  # replay from raw
    assert_copy_equals_warehouse(db_path)
    with writer(db_path) as conn:
        reparse_source(conn, "openrouter")  # every row rewritten
    assert_copy_equals_warehouse(db_path)
    assert seen[:2] == ["full", "full"] and set(seen[2:]) == {"incremental"}


def test_a_failed_write_publishes_what_was_committed_incrementally(db_path: Path) -> None:
    for day, path in enumerate(REPLAY[:3]):
        load_bytes(db_path, "openrouter", path.read_bytes(), as_of=datetime(2026, 2, 27) + timedelta(days=day))
    with pytest.raises(RuntimeError), writer(db_path) as conn:
        conn.execute("INSERT INTO runs (kind, source, started_at, status) VALUES ('test', 'x', now(), 'ok')")
        conn.execute("BEGIN TRANSACTION")
        conn.execute("DELETE FROM price_intervals")
        raise RuntimeError("crash mid-write")
    assert_copy_equals_warehouse(db_path)
    with reader(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM runs WHERE kind = 'test'").fetchone() == (1,)


def test_a_spare_copy_still_held_by_a_reader_is_replaced_whole_and_the_reader_keeps_its_view(
    db_path: Path,
) -> None:
    for path in REPLAY[:3]:
        load_bytes(db_path, "openrouter", path.read_bytes(), origin=path.name)
    current = Path(os.readlink(published_path(db_path))).name
    spare = next(publishing.slot_path(db_path, s) for s in publishing.SLOTS
                 if publishing.slot_path(db_path, s).name != current)  # fmt: skip
    with duckdb.connect(str(spare), read_only=True) as slow_reader:  # opened it before the last swap
        seen = slow_reader.execute("SELECT count(*) FROM raw_snapshots").fetchone()
        with writer(db_path, publish_after=False) as conn:
            conn.execute("INSERT INTO runs (kind, source, started_at, status) VALUES ('test', 'x', now(), 'ok')")
            result = publish_read_copy(conn, db_path)
        assert result.mode == "full" and result.target == spare  # could not attach it: copied whole
        assert slow_reader.execute("SELECT count(*) FROM raw_snapshots").fetchone() == seen  # its old inode
    assert_copy_equals_warehouse(db_path)
