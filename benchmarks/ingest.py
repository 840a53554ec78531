"""Ingest benchmarks: one real OpenRouter payload vs bare read_json, history throughput, write only on change."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from benchmarks.measure import (
    REPO,
    Row,
    median_time,
    megabytes,
    paired_medians,
    python_child,
    ratio_row,
    run_child,
    seconds,
)
from benchmarks.synthetic import History, HistorySpec, generate, modelsdev_payload
from tokentide import cli
from tokentide.collectors.loading import load_payload
from tokentide.commands.ingest import read_file
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.connection import writer
from tokentide.warehouse.guard import GuardSettings
from tokentide.warehouse.reference_sync import sync_reference
from tokentide.warehouse.snapshots import Payload

COMMITTED_PAYLOAD = REPO / "benchmarks" / "data" / "openrouter_2026-05-31_anomalyco-models.dev_0c88cfab35.json.gz"
SHARED_PAYLOAD = (
    REPO.parent
    / "shared"
    / "data"
    / "openrouter"
    / "models_api"
    / "2026-08-19_anuran-roy__unified-llm-pricing_ef05c3be9f_openrouter_models_all.json.gz"
)
BARE_FLATTEN = "SELECT unnest(data, recursive := true) FROM read_json(?, maximum_object_size = 1e9)"


@contextmanager
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="tokentide-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _load_path(db: Path, source: str, files: list[Path]) -> None:
    """The load path collectors and `tokentide ingest` share: open the writer, load each file, commit, publish."""
    with writer(db) as conn:
        sync_reference(conn)
        for path in files:
            outcome = load_payload(conn, Payload(source, path.name, read_file(path), utc_now()), GuardSettings())
            if outcome.failed:
                raise RuntimeError(outcome.summary_line())


def _ingest_command(db: Path, source: str, files: list[Path]) -> None:
    """`tokentide --db DB ingest --source SOURCE FILE...`, in this process: everything the command does."""
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["--db", str(db), "ingest", "--source", source, *map(str, files)])
    if code != 0:
        raise RuntimeError(f"tokentide ingest exited {code}")


def _empty_warehouse(path: Path) -> Path:
    with writer(path) as conn:
        sync_reference(conn)
    return path


@dataclass
class _Fresh:
    """A fresh file for each repetition: a copy of an empty (migrated) warehouse, and a bare DuckDB file."""

    folder: Path
    template: Path
    n: int = 0

    def next(self) -> None:
        self.n += 1
        shutil.copyfile(self.template, self.ours)
        self.bare.unlink(missing_ok=True)

    @property
    def ours(self) -> Path:
        return self.folder / f"ours-{self.n}.duckdb"

    @property
    def bare(self) -> Path:
        return self.folder / f"bare-{self.n}.duckdb"


def _bare_read_json(db: Path, payload: Path | list[Path], shape_sql: str = BARE_FLATTEN) -> None:
    files = [str(p) for p in payload] if isinstance(payload, list) else str(payload)
    conn = duckdb.connect(str(db))
    try:
        conn.execute(f"CREATE TABLE models AS {shape_sql}", [files])  # noqa: S608 - constant SQL
    finally:
        conn.close()


def one_payload(payload_gz: Path, label: str, repeat: int) -> list[Row]:
    """In process (a long-running collector's view) and as a cold CLI process, each vs bare DuckDB."""
    rows: list[Row] = []
    with scratch() as folder:
        payload = folder / payload_gz.name.removesuffix(".gz")
        payload.write_bytes(gzip.decompress(payload_gz.read_bytes()))
        n_models = len(json.loads(payload.read_bytes())["data"])
        fresh = _Fresh(folder, _empty_warehouse(folder / "template.duckdb"))
        load, bare = paired_medians(
            lambda: _load_path(fresh.ours, "openrouter", [payload]),
            lambda: _bare_read_json(fresh.bare, payload),
            repeat,
            setup=fresh.next,
        )
        what = f"{label}: {n_models} models, {megabytes(payload.stat().st_size)}"
        rows.append(
            ratio_row(
                "ingest",
                "one OpenRouter payload: load path",
                load,
                bare,
                2.0,
                f"{what}; open writer, parse, load, commit, publish the read copy",
            )
        )
        command, bare = paired_medians(
            lambda: _ingest_command(fresh.ours, "openrouter", [payload]),
            lambda: _bare_read_json(fresh.bare, payload),
            repeat,
            setup=fresh.next,
        )
        rows.append(
            ratio_row(
                "ingest",
                "one OpenRouter payload: `tokentide ingest`, in process",
                command,
                bare,
                None,
                f"{what}; the load path plus what the command adds (today's half-life estimates)",
            )
        )
        cold_cli = median_time(
            lambda: run_child(python_child("benchmarks.probe", "ingest", str(fresh.ours), "openrouter", str(payload))),
            max(3, repeat // 2),
            setup=fresh.next,
        )
        bare_code = (
            "import duckdb,sys; c=duckdb.connect(sys.argv[1]); "
            f"c.execute('CREATE TABLE models AS {BARE_FLATTEN}', [sys.argv[2]]); c.close()"
        )
        cold = median_time(
            lambda: run_child([sys.executable, "-c", bare_code, str(fresh.bare), str(payload)]),
            max(3, repeat // 2),
            setup=fresh.next,
        )
        rows.append(
            ratio_row(
                "ingest",
                "one OpenRouter payload: `tokentide ingest`, cold process",
                cold_cli,
                cold,
                None,
                f"{label}; both include interpreter start and imports",
            )
        )
    return rows


def _write_days(history: History, days: range, folder: Path) -> list[Path]:
    paths = []
    for day in days:
        path = folder / f"modelsdev_{history.day_start(day):%Y-%m-%d}.json"
        path.write_bytes(modelsdev_payload(history, day))
        paths.append(path)
    return paths


# One typed row per (provider, model), as observations are: the bare engine's best shot at this document shape.
MODELSDEV_BARE = """
SELECT p.key AS provider, m.key AS model_id, m.value ->> '$.name' AS model_name,
       CAST(m.value ->> '$.cost.input' AS DECIMAL(24, 9)) AS usd_per_mtok_input,
       CAST(m.value ->> '$.cost.output' AS DECIMAL(24, 9)) AS usd_per_mtok_output,
       CAST(m.value ->> '$.release_date' AS DATE) AS release_date,
       CAST(m.value ->> '$.reasoning' AS BOOLEAN) AS is_reasoning
FROM (SELECT unnest(map_entries(json_transform(json, '"MAP(VARCHAR, STRUCT(models MAP(VARCHAR, JSON)))"'))) AS p
      FROM read_json_objects(?, maximum_object_size = 1e9)),
     unnest(map_entries(p.value.models)) AS e(m)
"""


def throughput(spec: HistorySpec, n_snapshots: int) -> list[Row]:
    """The last n days of the large history through the real load path, vs bare DuckDB reading the same files."""
    history = generate(spec)
    with scratch() as folder:
        files = _write_days(history, range(spec.days - n_snapshots, spec.days), folder)
        entries = sum(len(p["models"]) for p in json.loads(files[-1].read_bytes()).values())
        db = _empty_warehouse(folder / "w.duckdb")
        ours = median_time(lambda: _ingest_command(db, "modelsdev", files), 1)
        bare = median_time(lambda: _bare_read_json(folder / "bare.duckdb", files, MODELSDEV_BARE), 1)
        with duckdb.connect(str(db), read_only=True) as conn:
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM observations), (SELECT count(*) FROM price_intervals)"
            ).fetchone()
    rate, bare_rate = n_snapshots / ours, n_snapshots / bare
    return [
        Row(
            "ingest",
            f"history load, {n_snapshots} daily snapshots",
            f"{rate:.1f} snapshots/s",
            f"{bare_rate:.1f} snapshots/s",
            ours / bare,
            "—",
            None,
            f"{entries:,} model×provider entries each (models.dev shape); {seconds(ours)} total; "
            f"{counts[0]:,} observations, {counts[1]:,} intervals"
            if counts
            else "",
        ),
    ]


def _size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def write_only_on_change(payload_gz: Path, n: int) -> list[Row]:
    """n byte-identical snapshots after the first add nothing; n re-serialised same-price ones add no interval."""
    raw = gzip.decompress(payload_gz.read_bytes())
    models = json.loads(raw)["data"]
    rows = []
    with scratch() as folder:
        db = folder / "w.duckdb"
        first = folder / "openrouter_2026-01-01.json"
        first.write_bytes(raw)
        _ingest_command(db, "openrouter", [first])
        sizes, counts = [_size(db)], [_counts(db)]
        same = []
        for day in range(n):
            path = folder / f"same_{day:04d}_{datetime(2026, 1, 2).toordinal() + day}.json"
            path.write_bytes(raw)
            same.append(path)
        elapsed = median_time(lambda: _ingest_command(db, "openrouter", same), 1)
        sizes.append(_size(db))
        counts.append(_counts(db))
        rows.append(_change_row(f"{n:,} byte-identical snapshots", counts, sizes, elapsed, n))
        reserialised = []
        for day in range(n):  # same prices, new bytes (an envelope field changes), one day apart
            stamp = datetime.fromordinal(datetime(2026, 1, 2).toordinal() + day)
            path = folder / f"openrouter_{stamp:%Y-%m-%d}.json"
            path.write_text(json.dumps({"data": models, "retrieved": f"{stamp:%Y-%m-%d}"}))
            reserialised.append(path)
        elapsed = median_time(lambda: _ingest_command(db, "openrouter", reserialised), 1)
        sizes.append(_size(db))
        counts.append(_counts(db))
        rows.append(_change_row(f"{n:,} same-price snapshots, new bytes", counts[1:], sizes[1:], elapsed, n))
        rows.append(_compaction_row(db, n))
    return rows


def _compaction_row(db: Path, n: int) -> Row:
    """`tokentide ingest` of many files compacts at the end: rows as loaded (Σ n_records) vs rows kept."""
    with duckdb.connect(str(db), read_only=True) as conn:
        row = conn.execute(
            "SELECT (SELECT sum(n_records) FROM raw_snapshots WHERE status = 'applied'), "
            "(SELECT count(*) FROM observations), (SELECT count(*) FROM price_intervals)"
        ).fetchone()
    loaded, kept, intervals = (int(v or 0) for v in row) if row else (0, 0, 0)
    ratio = kept / intervals if intervals else float("inf")
    return Row(
        "write only on change", f"compaction after the {n:,} same-price snapshots", f"{ratio:.2f} rows/interval",
        "—", None, "≤ 2 rows per interval", ratio <= 2,
        f"observations as loaded {loaded:,} → kept {kept:,} for {intervals:,} intervals (folded into "
        "observation_folds; raw snapshots kept)",
    )  # fmt: skip


def _counts(db: Path) -> tuple[int, int, int]:
    with duckdb.connect(str(db), read_only=True) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM price_intervals), (SELECT count(*) FROM observations), "
            "(SELECT count(*) FROM raw_snapshots)"
        ).fetchone()
    return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)


def _change_row(name: str, counts: list[tuple[int, int, int]], sizes: list[int], elapsed: float, n: int) -> Row:
    intervals = counts[1][0] - counts[0][0]
    observations = counts[1][1] - counts[0][1]
    snapshots = counts[1][2] - counts[0][2]
    return Row(
        "write only on change",
        name,
        f"+{intervals} interval rows",
        "0 interval rows",
        None,
        "0 rows",
        intervals == 0,
        f"+{observations:,} observations, +{snapshots} raw snapshots; warehouse {megabytes(sizes[0])} → "
        f"{megabytes(sizes[1])}; {seconds(elapsed / n)} per snapshot",
    )


def peak_memory(db: Path, spec: HistorySpec, label: str) -> Row:
    """`tokentide ingest` of the next day's full catalogue into (a copy of) the large history, in a fresh process."""
    from benchmarks.warehouse import copy_warehouse

    history = generate(spec)
    with scratch() as folder:
        payload = folder / f"modelsdev_{history.day_start(spec.days):%Y-%m-%d}.json"
        payload.write_bytes(modelsdev_payload(history, spec.days - 1).replace(b'"last_updated":"', b'"x":"', 1))
        size = payload.stat().st_size
        copy = copy_warehouse(db, folder / "w.duckdb")
        child = run_child(python_child("benchmarks.probe", "ingest", str(copy), "modelsdev", str(payload)))
    report = child.json()
    return Row(
        "memory",
        "peak RSS, `tokentide ingest` of one day",
        megabytes(child.peak_rss_bytes),
        "—",
        None,
        "< 1 GiB",
        child.peak_rss_bytes < 2**30,
        f"{label}: next day's catalogue ({megabytes(size)}) into it, "
        f"{seconds(float(report.get('seconds', 0)))} including publish",
    )
