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


def test_background_status_reads_the_last_progress_segment_and_sees_a_finished_process(tmp_path) -> None:  # noqa: ANN001
    import subprocess
    import sys

    from tokentide.reporting import background_backfill

    db = tmp_path / "w.duckdb"
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    db.with_name("w.backfill.pid").write_text(str(done.pid))
    background_backfill.log_path(db).write_text(
        "[#...] 1/9 releases\r[##..] 2/9 releases\nbackfill litellm: 9 release(s)\n"
    )
    job = background_backfill.status(db)
    assert not job.running and job.pid == done.pid
    assert job.last_line == "backfill litellm: 9 release(s)"
    background_backfill.log_path(db).write_text("[#...] 1/9 releases\r[##..] 2/9 releases")
    assert background_backfill.status(db).last_line == "[##..] 2/9 releases"
