"""Hostile links: query-string filters with SQL metacharacters, very long strings, unknown tiers and broken dates.

Every DuckDB connection the app opens is wrapped to record the SQL text it runs; no filter value may ever
appear in that text (values are data, bound or filtered in memory, never formatted into SQL). Every page
renders without an exception and shows an empty state or a clear message, and the warehouse is intact:
the app writes nowhere but throwaway in-memory databases.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.helpers import query

REPO = Path(__file__).resolve().parents[2]
APP_MAIN = REPO / "app" / "main.py"  # if the entry point moves, this module must fail, not skip

INJECTIONS = {
    "provider": "x'); DROP TABLE model_facts; --",
    "author": "' OR '1'='1' --",
    "country": "US'; DELETE FROM price_intervals; --",
    "tier": "ultra,economy'--",
}
LONG = "Ω" + "A" * 100_000
BROKEN = {"from": "2026-13-45", "to": "'; DROP TABLE runs; --", "asof": "1e999", "w": "NaN:inf",
          "rule": "<script>alert(1)</script>", "pick": "../../etc/passwd", "reasoning": "maybe"}  # fmt: skip
TABLES = ("model_facts", "price_intervals", "runs", "observations", "raw_snapshots")
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|COPY|CHECKPOINT|ATTACH)\b", re.IGNORECASE)


def pages() -> list[str]:
    tree = ast.parse(APP_MAIN.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [path for path, *_ in ast.literal_eval(node.value)]
    raise AssertionError("app/main.py has no PAGES table")


class RecordingConnection:
    """A DuckDB connection that writes down (database, statement text) before running each statement."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, target: str, log: list[tuple[str, str]]) -> None:
        self._conn, self._target, self._log = conn, target, log

    def execute(self, sql: str, *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        self._log.append((self._target, str(sql)))
        return self._conn.execute(sql, *args, **kwargs)

    def sql(self, sql: str, *args: object, **kwargs: object) -> duckdb.DuckDBPyRelation:
        self._log.append((self._target, str(sql)))
        return self._conn.sql(sql, *args, **kwargs)

    query = sql

    def executemany(self, sql: str, *args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        self._log.append((self._target, str(sql)))
        return self._conn.executemany(sql, *args, **kwargs)

    def __enter__(self) -> RecordingConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded default, as `tokentide app` loads it on an empty warehouse."""
    from tokentide.reporting.prepare import prepare

    db = tmp_path_factory.mktemp("hostile") / "w.duckdb"
    prepare(db)
    return db


@pytest.fixture
def recorded_sql(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    log: list[tuple[str, str]] = []
    real_connect = duckdb.connect

    def connect(database: str = ":memory:", *args: object, **kwargs: object) -> RecordingConnection:
        return RecordingConnection(real_connect(database, *args, **kwargs), str(database), log)

    monkeypatch.setattr(duckdb, "connect", connect)
    yield log


def run_page(db: Path, page: str, params: dict[str, str], monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TOKENTIDE_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()  # every run reads the warehouse again, through the recording connection
    at = AppTest.from_file(str(APP_MAIN), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != pages()[0]:
        at.switch_page(page)
        at.run()
    return at


def shows_data_or_a_message(at) -> bool:  # noqa: ANN001 - AppTest
    """A chart, a table or a metric, or an info/warning/error box. Captions do not count: every page header
    writes one, so a blank page would pass."""
    data = at.get("plotly_chart") or at.dataframe or at.table or at.metric
    return bool(data or at.info or at.warning or at.error)


@pytest.mark.parametrize(
    "params",
    [INJECTIONS, {"provider": LONG, "author": LONG, "tier": LONG}, {"tier": "ultra,premium-plus"}, BROKEN],
    ids=["sql-metacharacters", "100k-character-values", "unknown-tiers", "broken-scalars"],
)
def test_hostile_links_stay_data_on_every_page(
    warehouse: Path, params: dict[str, str], recorded_sql: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {t: query(warehouse, f"SELECT count(*) FROM {t}") for t in TABLES}  # noqa: S608
    for page in pages():
        at = run_page(warehouse, page, params, monkeypatch)
        assert not at.exception, f"{page}: {[e.value for e in at.exception][:1]}"
        assert shows_data_or_a_message(at), f"{page}: neither data nor a message"
    assert any(str(warehouse.parent) in target for target, _ in recorded_sql), "the recorder saw no warehouse read"
    fragments = {v for value in params.values() for v in value.split(",") if len(v) >= 4}
    fragments |= {"OR '1'='1'", "AAAAAAAAAAAAAAAA", "script>", "etc/passwd"}
    leaked = {f for f in fragments for _, sql in recorded_sql if f in sql}
    assert not leaked, f"filter values reached SQL text: {leaked}"
    writes = {(target, sql[:60]) for target, sql in recorded_sql if WRITES.match(sql) and target != ":memory:"}
    assert not writes, f"the app wrote to a warehouse file: {writes}"
    assert {t: query(warehouse, f"SELECT count(*) FROM {t}") for t in TABLES} == before  # noqa: S608


def test_a_link_that_matches_nothing_shows_the_empty_state(
    warehouse: Path, recorded_sql: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(warehouse, pages()[0], INJECTIONS, monkeypatch)
    shown = " ".join(str(i.value) for i in at.info)
    assert "match these filters" in shown or "No " in shown, shown[:300]
