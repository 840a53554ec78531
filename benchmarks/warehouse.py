"""Write a synthetic history straight into a tokentide warehouse with bulk SQL, cached under benchmarks/.cache.

Loading ten years of daily snapshots through the real load path would take hours; this writes the same
tables the load path would (raw snapshot metadata, observations, SCD-2 intervals, model facts, run log) in
a few set-based statements, so the analytics, app and size benchmarks start from a realistic warehouse.
The raw payload of each synthetic day is a short stub (not the catalogue), which the size figures say.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks.synthetic import SOURCE, History, HistorySpec, generate
from tokentide.warehouse.connection import writer
from tokentide.warehouse.load import PRICE_HASH_SQL
from tokentide.warehouse.publish import SLOTS, published_path, slot_path
from tokentide.warehouse.records import PRICE_FIELDS
from tokentide.warehouse.reference_sync import sync_reference

CACHE = Path(__file__).resolve().parent / ".cache"
BUILD_VERSION = 3  # bump when the generator or this writer changes, so cached warehouses are rebuilt
_UNPRICED = ", ".join(f"NULL AS {p}" for p in PRICE_FIELDS if p not in ("usd_per_mtok_input", "usd_per_mtok_output"))


def _snapshots(conn: duckdb.DuckDBPyConnection, history: History) -> None:
    stubs = []
    for day in range(history.spec.days):
        stub = json.dumps({"synthetic": history.spec.key, "day": day}).encode()
        stubs.append((day, hashlib.sha256(stub).hexdigest(), len(stub), gzip.compress(stub, mtime=0)))
    frame = pd.DataFrame(stubs, columns=["day", "sha256", "byte_size", "payload_gzip"])
    conn.register("stubs", frame)
    conn.execute(
        "INSERT INTO raw_snapshots (source, origin, fetched_at, as_of, as_of_basis, sha256, byte_size, http_status, "
        "payload_gzip, parser_version, status, status_reason, n_read, n_records, n_quarantined) "
        "SELECT ?, 'synthetic/api-' || day || '.json', CAST(? AS TIMESTAMP) + to_days(CAST(day AS INTEGER)), "
        "CAST(? AS TIMESTAMP) + to_days(CAST(day AS INTEGER)), 'synthetic day', sha256, byte_size, 200, "
        "payload_gzip, 'modelsdev/1', 'applied', NULL, 0, 0, 0 FROM stubs ORDER BY day",
        [SOURCE, history.day_start(0), history.day_start(0)],
    )
    conn.unregister("stubs")
    conn.execute(
        "CREATE TEMP TABLE snapshot_day AS SELECT snapshot_id, CAST(datediff('day', CAST(? AS TIMESTAMP), as_of) "
        "AS INTEGER) AS day FROM raw_snapshots WHERE source = ?",
        [history.day_start(0), SOURCE],
    )


def _steps(conn: duckdb.DuckDBPyConnection, history: History) -> None:
    """The history's steps joined to model facts, with the names the loader would give them."""
    models = history.models[
        [
            "model_ix",
            "model_id",
            "canonical_model_id",
            "resolved_author",
            "release_day",
            "is_reasoning",
            "is_open_weights",
        ]
    ]
    conn.register("models_in", models)
    conn.register("steps_in", history.intervals)
    conn.execute(
        "CREATE TEMP TABLE steps AS SELECT s.*, m.model_id, m.canonical_model_id, m.resolved_author AS author, "
        "m.release_day, m.is_reasoning, m.is_open_weights, "
        "CAST(s.usd_per_mtok_input AS DECIMAL(24, 9)) AS usd_per_mtok_input_d, "
        "CAST(s.usd_per_mtok_output AS DECIMAL(24, 9)) AS usd_per_mtok_output_d, "
        "CAST(NULL AS DECIMAL(24, 9)) AS nothing FROM steps_in s JOIN models_in m USING (model_ix)"
    )
    hash_sql = PRICE_HASH_SQL
    for name in PRICE_FIELDS:
        column = f"{name}_d" if name in ("usd_per_mtok_input", "usd_per_mtok_output") else "nothing"
        hash_sql = hash_sql.replace(f"CAST({name} AS VARCHAR)", f"CAST({column} AS VARCHAR)")
    conn.execute(f"ALTER TABLE steps ADD COLUMN price_hash VARCHAR; UPDATE steps SET price_hash = {hash_sql}")  # noqa: S608
    conn.unregister("models_in")
    conn.unregister("steps_in")


def _intervals(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        f"INSERT INTO price_intervals (source, model_id, source_provider, provider, canonical_model_id, author, "  # noqa: S608
        f"valid_from, valid_to, {', '.join(PRICE_FIELDS)}, price_state, price_hash, opened_by_snapshot, "
        f"closed_by_snapshot, close_reason, source_url) "
        f"SELECT '{SOURCE}', s.model_id, s.provider, s.provider, s.canonical_model_id, s.author, o.as_of, "
        f"c.as_of, s.usd_per_mtok_input_d, s.usd_per_mtok_output_d, {_UNPRICED}, 'paid', s.price_hash, "
        f"o.snapshot_id, c.snapshot_id, CASE WHEN s.to_day = -1 THEN NULL WHEN s.delisted THEN 'delisted' "
        f"ELSE 'changed' END, 'https://example.test/' || s.provider "
        f"FROM steps s JOIN snapshot_day od ON od.day = s.from_day "
        f"JOIN raw_snapshots o ON o.snapshot_id = od.snapshot_id "
        f"LEFT JOIN snapshot_day cd ON cd.day = s.to_day LEFT JOIN raw_snapshots c ON c.snapshot_id = cd.snapshot_id "
        f"ORDER BY s.model_ix, s.provider, s.from_day"
    )  # constant names only


def _observations(conn: duckdb.DuckDBPyConnection, history: History) -> None:
    """One row per (model, provider) per day it was listed: what daily full snapshots store."""
    conn.execute(
        f"INSERT INTO observations SELECT d.snapshot_id, '{SOURCE}', s.model_id, s.provider, s.provider, "  # noqa: S608
        f"s.canonical_model_id, s.author, s.model_id, CAST(? AS TIMESTAMP) + to_days(CAST(s.day AS INTEGER)), "
        f"NULL, s.usd_per_mtok_input_d, s.usd_per_mtok_output_d, {_UNPRICED}, 'paid', s.price_hash, 'USD', "
        f"'usd_per_mtok', 131072, s.is_reasoning, s.is_open_weights, NULL, "
        f"CAST(? AS DATE) + CAST(s.release_day AS INTEGER), 'https://example.test/' || s.provider, NULL "
        f"FROM (SELECT *, unnest(range(from_day, CASE WHEN to_day = -1 THEN ? ELSE to_day END)) AS day FROM steps) s "
        f"JOIN snapshot_day d USING (day)",
        [history.day_start(0), history.spec.start, history.spec.days],
    )  # constant names only
    conn.execute(
        "UPDATE raw_snapshots SET n_read = o.n, n_records = o.n FROM (SELECT snapshot_id, count(*) AS n "
        "FROM observations GROUP BY ALL) o WHERE raw_snapshots.snapshot_id = o.snapshot_id"
    )


def _facts_and_runs(conn: duckdb.DuckDBPyConnection, history: History) -> None:
    """Catalogue facts per model, a curated row per model carrying the maker's tier, one run per day."""
    models = history.models[
        ["model_id", "canonical_model_id", "resolved_author", "release_day", "tier", "is_reasoning", "is_open_weights"]
    ]
    conn.register("models_in", models)
    last = conn.execute("SELECT max(snapshot_id) FROM raw_snapshots").fetchone()
    for source, tier in ((SOURCE, "NULL"), ("milestones", "tier")):
        conn.execute(
            f"INSERT INTO model_facts SELECT ?, canonical_model_id, model_id, ?, model_id, resolved_author, NULL, "  # noqa: S608
            f"split_part(model_id, '-', 1), {tier}, CAST(? AS DATE) + CAST(release_day AS INTEGER), is_reasoning, "
            f"is_open_weights, 'https://example.test/models' FROM models_in",
            [source, last[0] if last else 0, history.spec.start],
        )  # constant names only
    conn.unregister("models_in")
    conn.execute(
        "INSERT INTO runs (kind, source, origin, started_at, finished_at, status, snapshot_id, rows_read, "
        "rows_added, intervals_opened, intervals_closed, rows_quarantined) "
        "SELECT 'ingest', source, origin, fetched_at, fetched_at + INTERVAL 1 SECOND, 'ok', snapshot_id, n_read, "
        "n_records, 0, 0, 0 FROM raw_snapshots ORDER BY snapshot_id"
    )


def build_warehouse(history: History, db: Path, *, observations: bool) -> None:
    """A fresh warehouse holding the history (and its daily observations when asked), published for readers."""
    for path in (db, published_path(db), db.with_name(db.name + ".wal"), *(slot_path(db, s) for s in SLOTS)):
        path.unlink(missing_ok=True)
    with writer(db) as conn:
        conn.execute("SET enable_progress_bar = false")
        sync_reference(conn)
        conn.execute("BEGIN TRANSACTION")
        _snapshots(conn, history)
        _steps(conn, history)
        _intervals(conn)
        if observations:
            _observations(conn, history)
        _facts_and_runs(conn, history)
        conn.execute("COMMIT")


def cached_warehouse(spec: HistorySpec, *, observations: bool) -> Path:
    """The warehouse for a spec, built on first use and kept in benchmarks/.cache (git-ignored)."""
    folder = CACHE / f"v{BUILD_VERSION}-{spec.key}{'-obs' if observations else ''}"
    db = folder / "tokentide.duckdb"
    done = folder / "BUILT"
    if done.exists() and db.exists() and published_path(db).exists():
        return db
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    build_warehouse(generate(spec), db, observations=observations)
    done.write_text(spec.key + "\n")
    return db


def copy_warehouse(db: Path, target: Path) -> Path:
    """A private copy (writer file and its published copy) for benchmarks that write."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, target)
    shutil.copyfile(published_path(db), published_path(target))
    return target
