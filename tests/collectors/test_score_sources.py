"""The score sources: Epoch's tables and Hub download, Artificial Analysis with its key from the environment."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.collectors.helpers import FakeClock, client_factory, sequence
from tests.conftest import fixture_bytes
from tests.warehouse.helpers import load_bytes
from tokentide.collectors import artificial_analysis, epoch_benchmarks
from tokentide.collectors.errors import ClientError, FatalError
from tokentide.warehouse.connection import reader
from tokentide.warehouse.records import PayloadError
from tokentide.warehouse.scores import scores_frame

SECRET = "tt-test-key-0123456789"


def hub_zip(members: dict[str, str]) -> bytes:
    """A zip shaped like Epoch's benchmark_data.zip (constructed: no recorded copy is staged)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_epochs_wide_table_gives_one_score_per_cell_with_the_listed_price() -> None:
    result = epoch_benchmarks.parse(fixture_bytes("epoch-lbe_2025-03-13_inputs_trimmed.csv"))
    assert result.n_read == 73 and not result.quarantined
    gpt4 = [s for s in result.scores if s.model_id == "GPT-4-0314"]
    assert {(s.benchmark, s.score) for s in gpt4} == {("MMLU", 86.0), ("GPQA Diamond", 33.0), ("HumanEval", 67.0),
                                                       ("LMSys Chatbot Arena ELO", 1186.0)}  # fmt: skip
    assert all(str(s.usd_per_mtok_blended) == "37.5" for s in gpt4)
    assert len(result.scores) == 322  # every non-blank benchmark cell


def test_the_hub_zip_scales_fractions_to_percent_and_skips_odd_members() -> None:
    raw = hub_zip({
        "benchmark_data/gpqa_diamond.csv": "Model version,mean_score,Release date,Organization\n"
                                           "gpt-4o-2024-11-20,0.47,2024-11-20,OpenAI\nbroken-model,abc,,\n",
        "benchmark_data/README.csv": "just,a,table\n1,2,3\n",
    })  # fmt: skip
    result = epoch_benchmarks.parse(raw)
    assert [(s.benchmark, s.model_id, s.score) for s in result.scores] == [("GPQA Diamond", "gpt-4o-2024-11-20", 47.0)]
    assert [q.reason for q in result.quarantined] == ["GPQA Diamond score is not a number"]
    assert any("README.csv" in w for w in result.warnings)


def test_a_zip_bomb_and_an_unknown_table_fail_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(PayloadError, match="no model, score or benchmark column"):
        epoch_benchmarks.parse(b"name,value\nx,1\n")
    monkeypatch.setattr(epoch_benchmarks, "MAX_UNZIPPED_BYTES", 2_000_000)
    big = hub_zip({"big.csv": "Model version,mean_score\n" + "m,0.5\n" * 400_000})  # 2.4 MB unzipped, 10 kB zipped
    with pytest.raises(PayloadError, match="zip unpacks to more than 2 MB"):
        epoch_benchmarks.parse(big)


def test_artificial_analysis_scales_scores_and_quarantines_the_bad_ones() -> None:
    result = artificial_analysis.parse(fixture_bytes("artificial-analysis_constructed.json"))
    scores = {(s.model_id, s.benchmark): s.score for s in result.scores}
    assert scores[("deepseek-v3-2", "GPQA Diamond")] == pytest.approx(73.8)
    assert scores[("deepseek-v3-2", "AA Intelligence Index")] == 46.3
    assert ("deepseek-v3-2", "Humanity's Last Exam") not in scores  # null: not a score
    assert ("grok-4-fast", "GPQA Diamond") not in scores  # 60.6 is no fraction: quarantined, not guessed
    assert sorted(q.record_key for q in result.quarantined) == ["entry 4", "grok-4-fast GPQA Diamond"]
    assert {s.is_reasoning for s in result.scores} == {False}  # every name says "(Non-reasoning)"
    assert artificial_analysis.reasoning_flag("DeepSeek V3.2 Exp (Reasoning)", "deepseek-v3-2-reasoning") is True
    assert artificial_analysis.reasoning_flag("Some model", "some-model") is None  # unknown, not False


def test_the_api_key_goes_in_a_header_only_and_never_into_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(artificial_analysis.API_KEY_ENV, SECRET)
    raw = fixture_bytes("artificial-analysis_constructed.json")
    handler, seen = sequence([httpx.Response(200, content=raw), httpx.Response(401, content=b"bad key")])
    with client_factory(handler)() as client:
        result = artificial_analysis.fetch(client, timing=FakeClock().timing())
        with pytest.raises(ClientError) as refused:
            artificial_analysis.fetch(client, timing=FakeClock().timing())
    assert result.raw == raw and seen[0].headers["x-api-key"] == SECRET
    assert SECRET not in str(seen[0].url) and SECRET not in result.url and SECRET not in str(refused.value)


def test_without_a_key_collection_stops_with_a_hint_and_is_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(artificial_analysis.API_KEY_ENV, raising=False)
    handler, seen = sequence([])
    with client_factory(handler)() as client, pytest.raises(FatalError, match=artificial_analysis.API_KEY_ENV):
        artificial_analysis.fetch(client, timing=FakeClock().timing())
    assert not seen


def test_loaded_scores_keep_provenance_and_match_price_ids_through_the_alias_table(db_path: Path) -> None:
    outcome = load_bytes(db_path, "epoch-benchmarks", fixture_bytes("epoch-lbe_2025-03-13_inputs_trimmed.csv"),
                         origin="epoch-lbe_2025-03-13_inputs_trimmed.csv")  # fmt: skip
    assert outcome.status == "added" and outcome.rows_added == 322
    with reader(db_path) as conn:
        scores = scores_frame(conn)
        sha = conn.execute("SELECT sha256 FROM raw_snapshots WHERE snapshot_id = ?", [outcome.snapshot_id]).fetchone()
    assert (scores["sha256"] == sha[0]).all() and (
        scores["source_url"] == "epoch-lbe_2025-03-13_inputs_trimmed.csv"
    ).all()
    ids = dict(zip(scores["model_id"], scores["canonical_model_id"], strict=False))
    assert ids["GPT-4o-2024-05"] == "gpt-4o" and ids["GPT-4 Turbo"] == "gpt-4-1106-preview"  # alias table
    assert ids["Claude-3-Haiku"] == "claude-3-haiku"  # the normaliser alone
    again = load_bytes(db_path, "epoch-benchmarks", fixture_bytes("epoch-lbe_2025-03-13_inputs_trimmed.csv"))
    assert again.status == "unchanged"  # the same bytes add no rows


def test_two_files_of_one_source_add_up_and_a_newer_copy_replaces_its_rows(db_path: Path) -> None:
    wide = fixture_bytes("epoch-lbe_2025-03-13_inputs_trimmed.csv").decode()
    header, *rows = wide.splitlines()
    first, second = "\n".join([header, *rows[:38]]) + "\n", "\n".join([header, *rows[38:]]) + "\n"
    load_bytes(db_path, "epoch-benchmarks", first.encode(), origin="aa_part.csv")
    load_bytes(db_path, "epoch-benchmarks", second.encode(), origin="epoch_part.csv")
    with reader(db_path) as conn:
        assert len(scores_frame(conn)) == 322  # both halves are current
    corrected = first.replace("Claude-3-Haiku,2024-03-04,0.5,71,33", "Claude-3-Haiku,2024-03-04,0.5,71,34")
    load_bytes(db_path, "epoch-benchmarks", corrected.encode(), origin="aa_part_v2.csv", as_of=datetime(2026, 1, 1))
    with reader(db_path) as conn:
        scores = scores_frame(conn)
    haiku = scores[(scores["model_id"] == "Claude-3-Haiku") & (scores["benchmark"] == "GPQA Diamond")]
    assert len(scores) == 322 and haiku["score"].tolist() == [34.0]  # the newer statement wins, no duplicate
    gpt3 = scores[(scores["model_id"] == "GPT-3 175B (davinci)") & (scores["benchmark"] == "MMLU")]
    assert len(gpt3) == 4  # its price cuts stay rows of their own
