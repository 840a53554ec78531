"""Hostile payloads for every source format: the loader never raises, never stores a bad price, always reports.

Each example goes through the real load path (`load_payload`) into one warehouse per source; after each,
the run log holds a finished row for it, its quarantine count matches the report, and every integrity
invariant of `tokentide check` holds. TOKENTIDE_FUZZ_EXAMPLES sets the examples per source (default 60;
run e.g. 2000 locally for a long fuzz).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.figures import record
from tests.reliability.payloads import PAYLOADS, deeply_nested
from tokentide.collectors.loading import load_payload
from tokentide.collectors.registry import SOURCES
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.connection import writer
from tokentide.warehouse.guard import GuardSettings
from tokentide.warehouse.integrity import run_checks
from tokentide.warehouse.load import LoadOutcome
from tokentide.warehouse.reference_sync import sync_reference
from tokentide.warehouse.snapshots import Payload

EXAMPLES = int(os.environ.get("TOKENTIDE_FUZZ_EXAMPLES", "60"))
STATUSES = {"added", "unchanged", "guarded", "failed"}
AS_OF = st.one_of(st.none(), st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)))
FUZZED: dict[str, int] = {}


@pytest.fixture(scope="module")
def warehouses() -> Iterator[dict[str, tuple[Path, duckdb.DuckDBPyConnection]]]:
    """One warehouse and write connection per source, kept across a test's examples."""
    folder = Path(tempfile.mkdtemp(prefix="tokentide-fuzz-"))  # removed in the finally below
    opened: dict[str, tuple[Path, duckdb.DuckDBPyConnection]] = {}
    contexts = []
    try:
        for source in SOURCES:
            db = folder / f"{source}.duckdb"
            context = writer(db, publish_after=False)
            conn = context.__enter__()
            sync_reference(conn)
            contexts.append(context)
            opened[source] = (db, conn)
        yield opened
    finally:
        for context in contexts:
            context.__exit__(None, None, None)
        shutil.rmtree(folder, ignore_errors=True)
        record("fuzz", examples_per_source=EXAMPLES, payloads=sum(FUZZED.values()), by_source=FUZZED)


def assert_reported_and_clean(conn: duckdb.DuckDBPyConnection, outcome: LoadOutcome) -> None:
    assert outcome.status in STATUSES
    run = conn.execute("SELECT status, rows_quarantined, finished_at FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()
    assert run is not None and run[2] is not None, "the run log must account for the load"
    assert run[0] == {"added": "ok"}.get(outcome.status, outcome.status)
    if outcome.status == "failed":
        assert outcome.message and "\n" not in outcome.message  # one line a user can act on
    if outcome.status == "added" and outcome.snapshot_id is not None:
        stored = conn.execute("SELECT count(*) FROM quarantine WHERE snapshot_id = ?", [outcome.snapshot_id]).fetchone()
        assert stored == (outcome.rows_quarantined,)
    broken = [r for r in run_checks(conn) if not r.ok]
    assert not broken, [(r.name, r.examples) for r in broken]


@pytest.mark.timeout(max(600, EXAMPLES * 3))  # a long local fuzz must not hit the suite's 600 s limit
@pytest.mark.parametrize("source", sorted(PAYLOADS))
def test_hostile_payloads_never_crash_never_store_bad_prices_and_always_report(source: str, warehouses) -> None:
    assert set(PAYLOADS) == set(SOURCES), "every source format has a fuzz strategy"
    db, conn = warehouses[source]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(raw=PAYLOADS[source], as_of=AS_OF, force=st.booleans())
    def load_one(raw: bytes, as_of: datetime | None, force: bool) -> None:
        payload = Payload(source, f"fuzz-{source}.json", raw, utc_now(), as_of=as_of)
        outcome = load_payload(conn, payload, GuardSettings(), force=force)
        FUZZED[source] = FUZZED.get(source, 0) + 1
        assert_reported_and_clean(conn, outcome)

    load_one()


@pytest.mark.parametrize("source", sorted(PAYLOADS))
def test_deep_nesting_and_huge_numbers_are_one_line_failures_or_quarantine(source: str, warehouses) -> None:
    _, conn = warehouses[source]
    huge = ("9" * 5000).encode()  # beyond Python's 4300-digit int parsing limit
    cases = [
        deeply_nested(source, 100_000),
        b'{"data": [{"id": "a/b", "pricing": {"prompt": ' + huge + b', "completion": 1e400}}]}',
        b'[{"id": "a/b", "pricing": {"prompt": "1e999999999", "completion": "-1e-999999999"}}]',
        '\ufeff{"data": [{"id": "\u202e\u0000\U0001f600", "pricing": {"prompt": "NaN"}}]}'.encode(),
        # found by a long fuzz: a context length beyond BIGINT raised out of the loader
        b'{"data": [{"id": "openai/gpt-4o", "pricing": {}, "context_length": 300224849449658089472}]}',
    ]
    for raw in cases:
        outcome = load_payload(conn, Payload(source, f"nasty-{source}.json", raw, utc_now()), GuardSettings())
        FUZZED[source] = FUZZED.get(source, 0) + 1
        assert_reported_and_clean(conn, outcome)


def test_the_cli_reports_hostile_files_in_one_line_and_keeps_going(tmp_path: Path) -> None:
    """A process-level check: a 100,000-deep payload and bad bytes next to a good file."""
    from tests.conftest import fixture_path

    deep = tmp_path / "deep.json"
    deep.write_bytes(deeply_nested("openrouter", 100_000))
    binary = tmp_path / "binary.json"
    binary.write_bytes(bytes(range(256)) * 4)
    good = fixture_path("openrouter_2026-02-27_877c8fc77a_bare_array.json")
    command = [
        sys.executable,
        "-m",
        "tokentide.cli",
        "--db",
        str(tmp_path / "w.duckdb"),
        "ingest",
        "--source",
        "openrouter",
        str(deep),
        str(binary),
        str(good),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    failures = [line for line in done.stderr.splitlines() if line.startswith("failed:")]
    assert len(failures) == 2 and all(str(tmp_path) in line for line in failures)
    assert any(line.startswith("added: openrouter") for line in done.stdout.splitlines())
    assert subprocess.run([*command[:5], "check"], capture_output=True, timeout=120).returncode == 0


def test_an_unstorable_price_quarantines_its_record_and_the_rest_loads(warehouses) -> None:
    """Found by the fuzzer: 1e999999999 overflowed and failed the whole payload; 1e-20 per token was stored
    as 0 while marked paid. Both are now one quarantined record each."""
    _, conn = warehouses["openrouter"]
    raw = (
        b'[{"id": "a/huge", "pricing": {"prompt": "1e999999999", "completion": "1"}},'
        b' {"id": "a/tiny", "pricing": {"prompt": "1e-20", "completion": "1e-20"}},'
        b' {"id": "a/fine", "pricing": {"prompt": "0.000001", "completion": "0.000002"}}]'
    )
    outcome = load_payload(conn, Payload("openrouter", "unstorable.json", raw, utc_now()), GuardSettings(), force=True)
    assert (outcome.status, outcome.rows_added, outcome.rows_quarantined) == ("added", 1, 2)
    reasons = conn.execute(
        "SELECT record_key, reason FROM quarantine WHERE snapshot_id = ? ORDER BY 1", [outcome.snapshot_id]
    ).fetchall()
    assert [key for key, _ in reasons] == ["a/huge", "a/tiny"]
    assert "overflows" in reasons[0][1] and "smallest stored" in reasons[1][1]
    assert_reported_and_clean(conn, outcome)
