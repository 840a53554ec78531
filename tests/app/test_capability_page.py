"""The Price of capability page on the embedded default: Epoch's numbers, thin fits, options in the URL."""

from __future__ import annotations

import pytest

from tests.app.test_pages import metric, run_page, table_with
from tokentide.reporting import formatting as fmt

pytestmark = pytest.mark.usefixtures("app_db")


def test_the_default_view_is_gpqa_at_gpt4_level_with_epochs_factor() -> None:
    at = run_page("capability")
    assert at.selectbox(key="o_bench").value == "GPQA Diamond"  # the most-scored benchmark
    assert at.selectbox(key="o_threshold").value == "GPT-4-0314"
    assert metric(at, "Price falls per year") == fmt.ratio(42.0189988368494)  # Epoch: 42.0x [4.40, 401]
    assert metric(at, "Models in the fit") == "6"
    assert any(str(c.value) == "90% CI 4.4×–401×" for c in at.caption)  # Epoch's 90 % interval, named as such
    qualifying = table_with(at, "sha256")
    assert len(qualifying) == 36 and qualifying["new_low"].sum() == 6  # 36 qualify, 6 set a new low
    lows = qualifying[qualifying["new_low"]]
    assert lows["sha256"].str.len().eq(64).all() and lows["source_url"].str.startswith("https://").all()


def test_a_link_selects_benchmark_and_threshold() -> None:
    at = run_page("capability", {"bench": "MMLU", "threshold": "GPT-3 175B (davinci)"})
    assert metric(at, "Price falls per year") == fmt.ratio(11.772872667426151)  # Epoch: 11.77x [8.29, 16.72]
    assert metric(at, "Threshold") == "43.9"


def test_a_score_threshold_from_a_link() -> None:
    at = run_page("capability", {"bench": "GPQA Diamond", "threshold": "score:53"})
    assert at.selectbox(key="o_threshold").value == "score:53"
    assert metric(at, "Threshold") == "53"


def test_a_threshold_no_non_reasoning_model_reaches_is_thin_and_says_so() -> None:
    at = run_page("capability", {"bench": "GPQA Diamond", "threshold": "o1"})
    assert metric(at, "Price falls per year") == "—"
    assert any("Too thin to fit" in str(i.value) for i in at.info)


def test_the_replication_table_counts_21_of_21_from_epochs_inputs() -> None:
    at = run_page("capability")
    table = table_with(at, "epoch_factor")
    assert len(table) == 21 and table["inside_epoch_ci"].all() and table["comparable"].all()
    assert any("21 of 21 factors inside Epoch's 90 % CI" in str(m.value) for m in at.markdown)


def test_the_selection_aware_interval_is_one_option_away_and_named() -> None:
    at = run_page("capability", {"cci": "selection-bootstrap"})
    assert metric(at, "Price falls per year") != fmt.ratio(42.0189988368494)  # corrected for the selection
    assert any("selection-aware bootstrap interval" in str(c.value) for c in at.caption)
    assert not any("too narrow" in str(c.value) for c in at.caption)  # the warning is for Epoch's t interval
