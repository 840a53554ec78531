"""The warehouse as a Hive-partitioned Parquet dataset (source=…/month=…) that Spark, Trino, Polars or
MotherDuck read as is, with a manifest of row counts and content checksums.

Each table goes to `DIR/<table>/source=<source>/month=<YYYY-MM>/data_0.parquet` (the month of its time
column, UTC); the small dimension tables go unpartitioned (`models`) or by source (`model_facts`). Raw
snapshots keep their provenance (origin, times, sha256, size, status) but not the payload bytes.
The export reads the published copy, so it never waits for or blocks a writer, and it is written next
to DIR and swapped in whole: a reader of DIR sees the previous export or this one, never a mix.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from tokentide import __version__
from tokentide.warehouse.clock import utc_now
from tokentide.warehouse.migrations_runner import schema_version
from tokentide.warehouse.queries import MODELS_SQL
from tokentide.warehouse.strict_json import dumps

MANIFEST = "_tokentide_export.json"  # a leading underscore: Spark, Hive and Trino skip it as metadata


@dataclass(frozen=True)
class ExportTable:
    """One exported table: where its rows come from and how they are partitioned."""

    name: str
    select: str  # every column a reader gets (partition columns included)
    partition_by: tuple[str, ...]
    month_of: str | None = None  # the time column whose UTC month is the `month` partition


TABLES: tuple[ExportTable, ...] = (
    ExportTable("observations", "SELECT * FROM observations", ("source", "month"), "observed_at"),
    ExportTable("price_intervals", "SELECT * FROM price_intervals", ("source", "month"), "valid_from"),
    ExportTable(
        "raw_snapshots",
        "SELECT * EXCLUDE (payload_gzip) FROM raw_snapshots",  # provenance without the payload bytes
        ("source", "month"),
        "as_of",
    ),
    ExportTable("runs", "SELECT * FROM runs", ("source", "month"), "started_at"),
    ExportTable("quarantine", "SELECT * FROM quarantine", ("source", "month"), "quarantined_at"),
    ExportTable("model_facts", "SELECT * FROM model_facts", ("source",)),
    ExportTable("benchmark_scores", "SELECT * FROM benchmark_scores", ("source",)),
    ExportTable("models", MODELS_SQL, ()),
)


class ExportError(Exception):
    """An export that cannot be made, with a one-line reason."""


@dataclass(frozen=True)
class TableSummary:
    name: str
    rows: int
    checksum: str  # sum of hash() over the table's own columns (not the month partition): order-free
    columns: list[str]
    partition_by: list[str]


def _source_sql(table: ExportTable) -> str:
    if table.month_of is None:
        return table.select
    return f"SELECT *, strftime({table.month_of}, '%Y-%m') AS month FROM ({table.select})"  # noqa: S608 - constants


def table_checksum(conn: duckdb.DuckDBPyConnection, relation_sql: str, columns: list[str]) -> tuple[int, str]:
    """(rows, checksum) of a relation over the given columns; the same call on the read-back dataset must agree."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    row = conn.execute(f"SELECT count(*), coalesce(sum(hash({quoted})), 0) FROM ({relation_sql})").fetchone()  # noqa: S608
    return (int(row[0]), str(row[1])) if row else (0, "0")


def _export_table(conn: duckdb.DuckDBPyConnection, table: ExportTable, folder: Path) -> TableSummary:
    columns = [d[0] for d in conn.execute(f"SELECT * FROM ({table.select}) LIMIT 0").description]  # noqa: S608
    rows, checksum = table_checksum(conn, table.select, columns)
    target = folder / table.name
    target.mkdir(parents=True)
    if table.partition_by and rows:
        options = f"FORMAT parquet, PARTITION_BY ({', '.join(table.partition_by)}), COMPRESSION zstd"
        destination = target
    elif table.partition_by:
        return TableSummary(table.name, 0, checksum, columns, list(table.partition_by))  # no rows, no files
    else:
        options, destination = "FORMAT parquet, COMPRESSION zstd", target / "data_0.parquet"
    conn.execute(f"COPY ({_source_sql(table)}) TO '{_quote(destination)}' ({options})")  # noqa: S608 - constants, our path
    return TableSummary(table.name, rows, checksum, columns, list(table.partition_by))


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _is_previous_export(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def export_parquet(conn: duckdb.DuckDBPyConnection, folder: Path) -> list[TableSummary]:
    """Write every table under `folder` (created, or replacing an earlier tokentide export there)."""
    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder")
    if folder.exists() and any(folder.iterdir()) and not _is_previous_export(folder):
        raise ExportError(f"{folder} is not empty and holds no earlier tokentide export; choose a new folder")
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        summaries = [_export_table(conn, table, staging) for table in TABLES]
        manifest = {
            "tokentide_version": __version__,
            "schema_version": schema_version(conn),
            "exported_at": utc_now().isoformat(timespec="seconds") + "Z",
            "timestamps": "UTC, without time zone",
            "layout": "DIR/<table>/source=<source>/month=<YYYY-MM>/data_0.parquet (Hive partitioning)",
            "tables": [asdict(s) for s in summaries],
        }
        (staging / MANIFEST).write_text(dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap_in(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summaries


def _swap_in(staging: Path, folder: Path) -> None:
    """Replace folder with staging: the old export moves aside first, so a crash leaves one of the two whole."""
    old = folder.with_name(f".{folder.name}.{os.getpid()}.old")
    if folder.exists():
        folder.rename(old)
    staging.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
