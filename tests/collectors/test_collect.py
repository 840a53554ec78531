"""Collecting through the warehouse: each fault ends in the run log, guarded snapshots are kept raw, others go on."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.collectors.helpers import BrokenStream, FakeClock, client_factory, json_response, raises, sequence, settings
from tests.conftest import fixture_bytes
from tests.warehouse.helpers import counts, query
from tokentide.collectors import modelsdev, openrouter
from tokentide.collectors.run import Collector
from tokentide.warehouse.connection import reader
from tokentide.warehouse.status import warehouse_status

OR_URL = openrouter.DEFAULT_URL
DAY1 = fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json")
DAY2 = fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json")
HTML = b"<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"


def catalogue(n: int, price: str = "0.000001") -> bytes:
    models = [
        {"id": f"lab/model-{i}", "name": f"Model {i}", "pricing": {"prompt": price, "completion": price}}
        for i in range(n)
    ]
    return json.dumps({"data": models}).encode()


def collector(db: Path, handler, clock: FakeClock, **source: object) -> Collector:
    config = settings(db, {"openrouter": {"url": OR_URL, **source}})
    return Collector(db, config, client_factory=client_factory(handler), timing=clock.timing())


def runs(db: Path) -> list[tuple]:
    return query(db, "SELECT source, kind, status, error FROM runs WHERE kind = 'collect' ORDER BY run_id")


def test_a_collect_stores_the_raw_snapshot_with_capture_time_and_status(db_path: Path) -> None:
    clock = FakeClock()
    handler, seen = sequence([json_response(DAY1)])
    outcome = collector(db_path, handler, clock).run("openrouter")
    assert outcome.status == "added" and outcome.attempts == 1
    snapshot = query(db_path, "SELECT origin, fetched_at, as_of, http_status, status FROM raw_snapshots")
    assert snapshot == [(OR_URL, clock.wall, clock.wall, 200, "applied")]
    assert runs(db_path) == [("openrouter", "collect", "ok", None)]
    assert seen[0].headers["User-Agent"].startswith("tokentide/")


def test_unchanged_bytes_record_a_run_and_add_no_rows(db_path: Path) -> None:
    clock = FakeClock()
    handler, _ = sequence([json_response(DAY1)])
    collect = collector(db_path, handler, clock)
    collect.run("openrouter")
    before = counts(db_path)
    clock.advance(3600)
    assert collect.run("openrouter").status == "unchanged"
    assert counts(db_path) == before
    assert [r[2] for r in runs(db_path)] == ["ok", "unchanged"]


def test_etag_is_remembered_and_a_304_adds_nothing(db_path: Path) -> None:
    clock = FakeClock()
    handler, seen = sequence([json_response(DAY1, ETag='W/"abc"'), httpx.Response(304)])
    collect = collector(db_path, handler, clock)
    collect.run("openrouter")
    assert query(db_path, "SELECT source, url, etag FROM http_validators") == [("openrouter", OR_URL, 'W/"abc"')]
    before = counts(db_path)
    outcome = collect.run("openrouter")
    assert seen[1].headers["If-None-Match"] == 'W/"abc"'
    assert (outcome.status, outcome.message) == ("unchanged", "not modified (HTTP 304)")
    assert counts(db_path) == before and [r[2] for r in runs(db_path)] == ["ok", "unchanged"]


RECOVERABLE = {
    "connect-timeout": raises(httpx.ConnectTimeout("timed out")),
    "read-timeout": raises(httpx.ReadTimeout("timed out")),
    "429-retry-after": httpx.Response(429, headers={"Retry-After": "5"}),
    "429": httpx.Response(429),
    "500": httpx.Response(500),
    "502": httpx.Response(502),
    "503": httpx.Response(503),
    "reset": raises(httpx.ReadError("[Errno 104] Connection reset by peer")),
    "truncated-stream": lambda request: httpx.Response(200, stream=BrokenStream(DAY1[:100])),
}


@pytest.mark.parametrize("fault", list(RECOVERABLE))
def test_a_retriable_fault_that_passes_loads_normally(db_path: Path, fault: str) -> None:
    clock = FakeClock()
    handler, seen = sequence([RECOVERABLE[fault], json_response(DAY1)])
    outcome = collector(db_path, handler, clock).run("openrouter")
    assert (outcome.status, outcome.attempts, len(seen)) == ("added", 2, 2)
    assert len(clock.sleeps) == 1 and runs(db_path) == [("openrouter", "collect", "ok", None)]


@pytest.mark.parametrize("fault", list(RECOVERABLE))
def test_a_retriable_fault_that_persists_fails_the_run_within_bounds(db_path: Path, fault: str) -> None:
    clock = FakeClock()
    handler, seen = sequence([RECOVERABLE[fault]])
    outcome = collector(db_path, handler, clock).run("openrouter")
    assert outcome.status == "failed" and outcome.message.startswith("gave up: 4 attempts")
    assert len(seen) == 4 and len(clock.sleeps) == 3 and sum(clock.sleeps) <= 300
    assert counts(db_path)["raw_snapshots"] == 0
    [(_, _, status, error)] = runs(db_path)
    assert status == "failed" and "gave up" in error


FATAL = {
    "html-page": (httpx.Response(200, content=HTML, headers={"Content-Type": "text/html"}), "HTML page", None),
    "404": (httpx.Response(404), "HTTP 404", None),
    "403": (httpx.Response(403), "HTTP 403", None),
    "truncated-body": (json_response(DAY1[: len(DAY1) // 2]), "truncated JSON", "failed"),
    "wrong-shape": (json_response(b'{"error": {"message": "rate limited"}}'), "wrong envelope", "failed"),
    "not-json": (json_response(b"models: 3"), "invalid JSON", "failed"),
}


@pytest.mark.parametrize("fault", list(FATAL))
def test_a_fatal_fault_stops_the_run_at_once(db_path: Path, fault: str) -> None:
    response, message, stored = FATAL[fault]
    clock = FakeClock()
    handler, seen = sequence([response])
    outcome = collector(db_path, handler, clock).run("openrouter")
    assert outcome.status == "failed" and message in outcome.message
    assert len(seen) == 1 and clock.sleeps == []
    assert [s[0] for s in query(db_path, "SELECT status FROM raw_snapshots")] == ([stored] if stored else [])
    [(_, _, status, error)] = runs(db_path)
    assert status == "failed" and message in error


def test_an_empty_catalogue_is_kept_raw_and_guarded(db_path: Path) -> None:
    clock = FakeClock()
    handler, _ = sequence([json_response(DAY1), json_response(b'{"data": []}')])
    collect = collector(db_path, handler, clock)
    collect.run("openrouter")
    clock.advance(3600)
    outcome = collect.run("openrouter")
    assert outcome.status == "guarded" and "empty catalogue" in outcome.message
    assert query(db_path, "SELECT count(*) FROM price_intervals WHERE valid_to IS NULL") == [(6,)]


def test_a_catalogue_losing_90_percent_of_its_models_is_flagged_not_applied(db_path: Path) -> None:
    clock = FakeClock()
    handler, _ = sequence([json_response(catalogue(40)), json_response(catalogue(4))])
    collect = collector(db_path, handler, clock)
    collect.run("openrouter")
    clock.advance(3600)
    outcome = collect.run("openrouter")
    assert outcome.status == "guarded" and "shrank by 90%" in outcome.message
    assert query(db_path, "SELECT count(*) FROM price_intervals WHERE valid_to IS NULL") == [(40,)]
    assert query(db_path, "SELECT status FROM raw_snapshots ORDER BY snapshot_id") == [("applied",), ("guarded",)]
    with reader(db_path) as conn:
        [status] = warehouse_status(conn, db_path).sources
    assert status.snapshots_guarded == 1 and status.last_run_status == "guarded" and "shrank" in status.last_error


def test_the_guard_can_be_overridden(db_path: Path) -> None:
    clock = FakeClock()
    handler, _ = sequence([json_response(catalogue(40)), json_response(catalogue(4))])
    config = settings(db_path, {"openrouter": {"url": OR_URL}})
    Collector(db_path, config, client_factory=client_factory(handler), timing=clock.timing()).run("openrouter")
    clock.advance(3600)
    forced = Collector(db_path, config, client_factory=client_factory(handler), timing=clock.timing(), force=True)
    assert forced.run("openrouter").status == "added"
    assert query(db_path, "SELECT count(*) FROM price_intervals WHERE valid_to IS NULL") == [(4,)]


def test_one_failing_source_leaves_the_others_alone(db_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "openrouter.ai":
            return httpx.Response(503)
        return json_response(fixture_bytes("modelsdev_2026-07-02_excerpt.json"))

    config = settings(db_path, {"openrouter": {}, "modelsdev": {}})
    clock = FakeClock()
    collect = Collector(db_path, config, client_factory=client_factory(handler), timing=clock.timing())
    outcomes = {name: collect.run(name).status for name in ("openrouter", "modelsdev")}
    assert outcomes == {"openrouter": "failed", "modelsdev": "added"}
    assert {(r[0], r[2]) for r in runs(db_path)} == {("openrouter", "failed"), ("modelsdev", "ok")}
    assert query(db_path, "SELECT DISTINCT source FROM observations") == [(modelsdev.SOURCE,)]


def test_due_sources_follow_the_run_log(db_path: Path) -> None:
    clock = FakeClock()
    handler, _ = sequence([json_response(DAY1)])
    collect = collector(db_path, handler, clock, every="1h")
    assert collect.due(["openrouter"]) == ["openrouter"]
    collect.run("openrouter")
    clock.wall = query(db_path, "SELECT max(started_at) FROM runs")[0][0]
    clock.advance(1800)
    assert collect.due(["openrouter"]) == []
    clock.advance(1800)
    assert collect.due(["openrouter"]) == ["openrouter"]


def test_followed_endpoints_are_collected_per_model(db_path: Path) -> None:
    bodies = {
        "/api/v1/models/anthropic/claude-3.5-haiku/endpoints": fixture_bytes(
            "openrouter-endpoints_anthropic_claude-3.5-haiku_constructed.json"
        ),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(bodies[request.url.path]) if request.url.path in bodies else httpx.Response(404)

    config = settings(db_path, {"openrouter-endpoints": {"follow": ["anthropic/claude-3.5-haiku", "x/gone"]}})
    clock = FakeClock()
    collect = Collector(db_path, config, client_factory=client_factory(handler), timing=clock.timing())
    outcome = collect.run("openrouter-endpoints")
    assert outcome.status == "added" and outcome.load.rows_added == 3
    assert clock.sleeps == [1.0]  # paced between the two requests
