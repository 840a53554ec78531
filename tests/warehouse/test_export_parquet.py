"""`tokentide export --parquet DIR`: a Hive-partitioned dataset other engines read as is, checked by reading it back."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from tests.conftest import fixture_bytes
from tests.warehouse.helpers import load_bytes
from tokentide.cli import main
from tokentide.warehouse.export_parquet import MANIFEST, TABLES, table_checksum


@pytest.fixture
def warehouse(db_path: Path) -> Path:
    """Several sources over two months, a price change, and a quarantined row."""
    load_bytes(
        db_path,
        "openrouter",
        fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json"),
        as_of=datetime(2026, 2, 27),
    )
    load_bytes(
        db_path,
        "openrouter",
        fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json"),
        as_of=datetime(2026, 3, 2),
    )
    load_bytes(
        db_path,
        "openrouter",
        fixture_bytes("openrouter_2026-08-19_reasoning_object.json"),
        as_of=datetime(2026, 8, 19),
        force=True,
    )
    load_bytes(db_path, "litellm", fixture_bytes("litellm_2026-11-12_excerpt.json"), as_of=datetime(2026, 11, 12))
    load_bytes(db_path, "modelsdev", fixture_bytes("modelsdev_2026-07-02_excerpt.json"), as_of=datetime(2026, 7, 2))
    load_bytes(db_path, "genai-prices", fixture_bytes("genai-prices_2026-08-21_excerpt.json"))
    load_bytes(db_path, "epoch", fixture_bytes("epoch_2025-08-07_excerpt.csv"))
    load_bytes(db_path, "artificial-analysis", fixture_bytes("artificial-analysis_constructed.json"))
    return db_path


def read_back(folder: Path, table: str) -> str:
    return f"SELECT * FROM read_parquet('{folder / table}/**/*.parquet', hive_partitioning = true)"  # noqa: S608


def test_every_table_reads_back_with_the_same_rows_and_checksum(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    assert main(["--db", str(warehouse), "export", "--parquet", str(out)]) == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in TABLES]
    with duckdb.connect(str(warehouse), read_only=True) as conn:  # the export reads the warehouse file
        for entry in manifest["tables"]:
            source = next(t for t in TABLES if t.name == entry["name"])
            expected = table_checksum(conn, source.select, entry["columns"])
            assert (entry["rows"], entry["checksum"]) == expected, entry["name"]
            assert expected[0] > 0, f"{entry['name']}: the fixture warehouse should hold rows"
            back = table_checksum(conn, read_back(out, entry["name"]), entry["columns"])
            assert back == expected, f"{entry['name']} differs after the round trip"


def test_partitions_are_hive_folders_by_source_and_month(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    assert main(["--db", str(warehouse), "export", "--parquet", str(out)]) == 0
    folders = {p.relative_to(out / "observations").parent.as_posix() for p in (out / "observations").rglob("*.parquet")}
    assert "source=openrouter/month=2026-02" in folders and "source=openrouter/month=2026-03" in folders
    assert all(f.startswith("source=") and "/month=" in f for f in folders)
    with duckdb.connect() as conn:
        misplaced = conn.execute(
            f"SELECT count(*) FROM ({read_back(out, 'observations')}) WHERE strftime(observed_at, '%Y-%m') <> month"  # noqa: S608
        ).fetchone()
        assert misplaced == (0,)
        described = conn.execute(f"DESCRIBE {read_back(out, 'price_intervals')}").fetchall()
        types = {row[0]: row[1] for row in described}
        assert types["usd_per_mtok_input"] == "DECIMAL(24,9)" and types["valid_from"] == "TIMESTAMP"
        columns = [row[0] for row in conn.execute(f"DESCRIBE {read_back(out, 'raw_snapshots')}").fetchall()]  # noqa: S608
        assert "payload_gzip" not in columns and {"sha256", "origin", "fetched_at", "as_of"} <= set(columns)


def test_another_engine_reads_the_dataset_as_is(warehouse: Path, tmp_path: Path) -> None:
    """pyarrow's dataset reader (what Polars, Spark and friends share in spirit): no schema hints, no options."""
    out = tmp_path / "dataset"
    assert main(["--db", str(warehouse), "export", "--parquet", str(out)]) == 0
    manifest = {t["name"]: t for t in json.loads((out / MANIFEST).read_text())["tables"]}
    for name, entry in manifest.items():
        table = ds.dataset(out / name, format="parquet", partitioning="hive").to_table()
        assert table.num_rows == entry["rows"], name
        assert set(entry["columns"]) <= set(table.schema.names), name


def test_a_second_export_replaces_the_first_and_a_foreign_folder_is_refused(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dataset"
    assert main(["--db", str(warehouse), "export", "--parquet", str(out)]) == 0
    (out / "observations" / "stray.parquet").write_bytes(b"not from this export")
    load_bytes(
        warehouse,
        "modelsdev",
        fixture_bytes("modelsdev_2026-07-02_excerpt.json").replace(b"2.5", b"2.25"),
        as_of=datetime(2026, 7, 9),
    )
    assert main(["--db", str(warehouse), "export", "--parquet", str(out)]) == 0
    assert not (out / "observations" / "stray.parquet").exists()
    assert not list(tmp_path.glob(".dataset.*"))  # no staging or old copies left behind
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    capsys.readouterr()
    assert main(["--db", str(warehouse), "export", "--parquet", str(foreign)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("tokentide export:") and "not empty" in err and "\n" not in err
    assert (foreign / "holiday.jpg").exists()
