"""Coverage on the Methodology page and the thin-history hint on the Overview (AppTest, embedded default)."""

from __future__ import annotations

import pytest

from tests.app.test_pages import run_page, table_with

pytestmark = pytest.mark.usefixtures("app_db")


def test_methodology_shows_coverage_per_source_and_release_date_bases() -> None:
    at = run_page("methodology")
    sources = table_with(at, "dated_share")
    assert set(sources["source"]) == {"milestones", "model-prices"}
    assert sources.set_index("source").loc["milestones", "dated_share"] == 1.0
    text = " ".join(str(m.value) for m in at.markdown)
    assert "Order of trust: curated table, Epoch AI publication date" in text


def test_overview_on_the_embedded_default_says_how_to_load_history_and_offers_to_start_it() -> None:
    at = run_page("overview")
    text = " ".join(str(m.value) for m in at.markdown)
    assert "tokentide backfill --source litellm --every week" in text and "never installed" in text
    assert [b.label for b in at.button if b.key == "backfill_start"] == ["Load the history in the background"]
