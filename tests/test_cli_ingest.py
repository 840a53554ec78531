"""The ingest command: one summary line per file, one-line errors, exit 1 after loading the others."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import fixture_bytes
from tests.docs_text import documentation
from tests.warehouse.helpers import query
from tokentide.cli import main


def test_ingest_reports_each_file_and_fails_after_loading_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "openrouter_2026-02-27_a.json.gz"
    good.write_bytes(gzip.compress(fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json")))
    broken = tmp_path / "openrouter_2026-02-28_broken.json"
    broken.write_bytes(b'[{"id": "a/b", "pricing": {')
    later = tmp_path / "openrouter_2026-03-01_b.json"
    later.write_bytes(fixture_bytes("openrouter_2026-02-27_9868fb6ca3_bare_array.json"))
    db = tmp_path / "w.duckdb"
    code = main(["--db", str(db), "ingest", "--source", "openrouter", str(good), str(broken), str(later)])
    out, err = capsys.readouterr()
    assert code == 1
    assert [line.split(":")[0] for line in out.splitlines()] == ["added", "added"]
    assert err.count("\n") == 1 and err.startswith(f"failed: {broken}: truncated JSON")
    assert "Traceback" not in err
    assert query(db, "SELECT count(*) FROM observations WHERE source = 'openrouter'") == [(13,)]

    code = main(["--db", str(db), "ingest", "--source", "openrouter", str(good), str(later)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines()] == ["unchanged", "unchanged"]


def test_missing_file_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(tmp_path / "w.duckdb"), "ingest", "--source", "litellm", str(tmp_path / "nope.json")])
    assert code == 1
    assert capsys.readouterr().err.strip() == f"failed: {tmp_path / 'nope.json'}: No such file or directory"


def test_guarded_snapshot_warns_and_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    models = json.loads(fixture_bytes("openrouter_2026-02-27_877c8fc77a_bare_array.json"))
    full, tiny = tmp_path / "full.json", tmp_path / "tiny.json"
    full.write_text(json.dumps(models))
    tiny.write_text(json.dumps(models[:1]))
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "ingest", "--source", "openrouter", "--as-of", "2026-03-01", str(full)]) == 0
    assert main(["--db", str(db), "ingest", "--source", "openrouter", "--as-of", "2026-03-02", str(tiny)]) == 0
    out, err = capsys.readouterr()
    assert "guarded" in out and "catalogue shrank by 83%" in out
    assert "held back by the guard" in err
    assert query(db, "SELECT count(*) FROM price_intervals WHERE source = 'openrouter'") == [(6,)]  # none closed
    assert main(["--db", str(db), "ingest", "--source", "openrouter", "--force", str(tiny)]) == 0
    assert "added" in capsys.readouterr().out


def test_status_json_lists_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    payload = tmp_path / "litellm.json"
    payload.write_bytes(fixture_bytes("litellm_2026-11-12_excerpt.json"))
    main(["--db", str(db), "ingest", "--source", "litellm", str(payload)])
    capsys.readouterr()
    assert main(["--db", str(db), "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["schema_version"] == status["schema_version_expected"] >= 1
    by_source = {s["source"]: s for s in status["sources"]}
    assert set(by_source) == {"litellm", "milestones"}  # the curated table is loaded whichever command runs first
    litellm = by_source["litellm"]
    assert litellm["source"] == "litellm" and litellm["snapshots"] == 1 and litellm["last_run_status"] == "ok"
    assert litellm["observations"] == 6 and litellm["current_models"] == 6


def test_status_on_missing_warehouse_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "none.duckdb"), "status"]) == 2
    assert "no warehouse at" in capsys.readouterr().err


def test_every_status_json_key_is_documented(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = documentation()
    payload = tmp_path / "litellm.json"
    payload.write_bytes(fixture_bytes("litellm_2026-11-12_excerpt.json"))
    main(["--db", str(tmp_path / "w.duckdb"), "ingest", "--source", "litellm", str(payload)])
    capsys.readouterr()
    main(["--db", str(tmp_path / "w.duckdb"), "status", "--json"])
    status = json.loads(capsys.readouterr().out)
    keys = set(status) | set(status["sources"][0])
    assert status["sources"][0]["last_run_at"].endswith("Z")
    assert [k for k in sorted(keys) if f"`{k}`" not in readme] == []
