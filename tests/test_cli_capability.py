"""The price of capability from the command line: the report section, Epoch's table, ingest and export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import fixture_path
from tokentide.cli import main
from tokentide.collectors import artificial_analysis


def _strict(token: str) -> float:
    raise AssertionError(f"not strict JSON: {token}")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    """The command's output parsed as strict JSON (NaN or Infinity fail the test)."""
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out, parse_constant=_strict)


def test_report_json_has_a_capability_section_per_benchmark_and_threshold(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    section = _json(capsys, "--db", str(db_path), "report", "--json", "--draws", "100")["capability"]
    assert "Epoch AI's method" in section["method"] and "CC BY 4.0" in section["attribution"]
    by_key = {(t["benchmark"], t["threshold_model"]): t for t in section["trends"]}
    gpqa = by_key[("GPQA Diamond", "GPT-4-0314")]
    assert gpqa["n"] == 6 and gpqa["factor_per_year"] == pytest.approx(42.0189988368494, rel=1e-6)
    assert gpqa["ci90_low"] == pytest.approx(4.398155473320801, rel=1e-6)
    assert [low["model"] for low in gpqa["new_lows"]][:2] == ["GPT-4-0314", "GPT-4 Turbo"]
    assert all(len(low["sha256"]) == 64 for low in gpqa["new_lows"])
    thin = [t for t in section["trends"] if t["thin"]]
    assert thin and all(t["factor_per_year"] is None and t["ci90_low"] is None for t in thin)


def test_replicate_json_rows_carry_both_cis_and_comparable(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = _json(capsys, "--db", str(db_path), "report", "--replicate", "--json", "--draws", "100")
    inputs, live = document["epoch_capability"]["tables"]
    assert (inputs["n_trends"], inputs["n_inside_epoch_ci"]) == (21, 21)
    assert live["label"].startswith("live warehouse") and live["n_trends"] == 21
    for row in inputs["rows"] + live["rows"]:
        assert {"benchmark", "threshold_model", "epoch_factor_per_year", "epoch_ci90", "tokentide_factor_per_year",
                "tokentide_ci90", "comparable"} <= set(row)  # fmt: skip


def test_replicate_text_prints_epochs_table_with_the_count(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "report", "--replicate", "--draws", "100"]) == 0
    out = capsys.readouterr().out
    assert "Epoch's inputs: 21 of 21 factors inside Epoch's 90 % CI" in out
    assert "GPQA Diamond | GPT-4o-2024-05 | 851 | [6.18, 117,290] | 851" in out


def test_ingest_a_score_file_then_export_the_chart_as_csv(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scores = fixture_path("artificial-analysis_constructed.json")
    assert main(["--db", str(db_path), "ingest", "--source", "artificial-analysis", str(scores)]) == 0
    assert "added: artificial-analysis" in capsys.readouterr().out
    out = tmp_path / "out"
    command = ["--db", str(db_path), "export", "--chart", "price-of-capability", "--format", "csv", "--out", str(out),
               "--option", "bench=AA Intelligence Index", "--option", "threshold=score:40"]  # fmt: skip
    assert main(command) == 0
    [written] = out.glob("price-of-capability*.csv")  # named by chart, data date and view
    with written.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    qualifying = {r["model"] for r in rows if r["layer"] in ("new low", "qualifying")}
    assert qualifying == {
        "Claude 4.5 Haiku (Non-reasoning)",
        "GLM-4.6 (Non-reasoning)",
        "DeepSeek V3.2 Exp (Non-reasoning)",
    }  # fmt: skip  (Grok 4 Fast scores 38.6)
    assert all(r["source"] == "artificial-analysis" for r in rows if r["layer"] == "new low")


def test_status_counts_the_benchmark_scores_of_a_score_source(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = fixture_path("artificial-analysis_constructed.json")
    assert main(["--db", str(db_path), "ingest", "--source", "artificial-analysis", str(raw)]) == 0
    capsys.readouterr()
    status = _json(capsys, "--db", str(db_path), "status", "--json")
    [aa] = [s for s in status["sources"] if s["source"] == "artificial-analysis"]
    assert aa["benchmark_scores"] == len(artificial_analysis.parse(raw.read_bytes()).scores) > 0
    assert aa["observations"] == 0  # scores are not prices
