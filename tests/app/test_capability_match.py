"""Scored models meet priced ones by canonical id; the alias suggester only proposes, for review."""

from __future__ import annotations

import pandas as pd

from tests.app.test_pages import run_page, table_with
from tokentide.reporting.capability import score_match


def test_matched_counts_and_suggestions_for_the_rest_never_merged() -> None:
    scores = pd.DataFrame({"canonical_model_id": ["gpt-4o", "gpt-4o", "llama-3-70b", "gpt-4o-mini-2024"]})
    intervals = pd.DataFrame({"canonical_model_id": ["gpt-4o", "llama-3-3-70b", "gpt-4o-mini", "claude-3-haiku"]})
    match = score_match(scores, intervals)
    assert (match.n_scored, match.n_matched) == (3, 1)
    rows = match.suggestions.set_index("model_id")
    assert rows.loc["llama-3-70b", "suggested_id"] == "llama-3-3-70b"
    assert not rows.loc["llama-3-70b", "proposed"]  # 3 vs 3.3: the version check refuses it
    assert rows.loc["gpt-4o-mini-2024", "suggested_id"] == "gpt-4o-mini"


def test_the_methodology_page_shows_the_suggestions(app_db) -> None:  # noqa: ANN001
    at = run_page("methodology")
    table = table_with(at, "suggested_id")
    assert len(table) > 0 and {"cosine_similarity", "proposed"} <= set(table.columns)
    assert any("scored models match a priced model" in str(m.value) for m in at.markdown)
