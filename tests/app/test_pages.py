"""Every page through Streamlit's AppTest: renders on the embedded default, empty states, filters change data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import INJECTION, MAIN, PAGES
from tests.warehouse.helpers import counts

pytestmark = pytest.mark.usefixtures("app_db")


def run_page(page: str, query: dict[str, str] | None = None) -> AppTest:
    """Open the app with a URL query, go to a page, and fail on any exception it shows."""
    at = AppTest.from_file(str(MAIN), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(PAGES[page])  # land on the page, as a link does
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return values[0]


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert tables, f"no table with column {column!r}"
    return tables[0]


def infos(at: AppTest) -> str:
    """The info boxes' text as a reader sees it (markdown escapes removed)."""
    return " ".join(str(i.value) for i in at.info).replace("\\", "")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_real_numbers_on_the_default(page: str) -> None:
    at = run_page(page)
    assert at.title and at.title[0].value
    assert len(at.metric) + len(at.dataframe) > 0
    assert "No models match" not in infos(at)
    sidebar = " ".join(str(m.value) for m in at.sidebar.markdown)
    assert "Data as of 2026-" in sidebar and "milestones" in sidebar and "model" in sidebar
    assert any("Held back" in str(c.value) for c in at.sidebar.caption)


@pytest.mark.parametrize("page", PAGES)
def test_page_shows_an_empty_state_when_nothing_matches(page: str) -> None:
    at = run_page(page, {"author": "nobody-makes-this"})
    assert "No models match these filters" in infos(at)
    assert "nobody" in infos(at)


@pytest.mark.parametrize("page", PAGES)
def test_injection_in_the_url_is_data(page: str, app_db: Path) -> None:
    before = counts(app_db)
    at = run_page(page, {"author": INJECTION, "tier": "z" * 20_000, "q": INJECTION, "method": INJECTION})
    assert "No models match these filters" in infos(at)
    assert at.multiselect(key="f_authors").value == [INJECTION]
    assert counts(app_db) == before  # every table intact


def test_overview_counts_follow_the_filters() -> None:
    everything = metric(run_page("overview"), "Models and providers")
    openai = metric(run_page("overview", {"author": "openai"}), "Models and providers")
    assert everything != openai
    assert int(openai.split(" · ")[1]) < int(everything.split(" · ")[1])


def test_price_curves_table_follows_the_tier_filter() -> None:
    table = table_with(run_page("price_curves", {"tier": "mid"}), "assigned_tier")
    everything = table_with(run_page("price_curves"), "assigned_tier")
    assert set(table["assigned_tier"]) == {"mid"} and len(table) < len(everything)


def test_half_life_uses_only_the_chosen_tier() -> None:
    flagship = run_page("half_life", {"tier": "flagship", "hpanel": "diagnostics"})
    everything = run_page("half_life", {"hpanel": "diagnostics"})
    table = table_with(flagship, "half_life_years").set_index("group")
    assert metric(flagship, "Points used (n)") == str(int(table.loc["flagship", "n"]))
    assert metric(flagship, "Points used (n)") != metric(everything, "Points used (n)")


def test_premium_pairs_follow_the_author_filter() -> None:
    pairs = table_with(run_page("premium", {"author": "openai"}), "reasoning_model_id")
    everything = table_with(run_page("premium"), "reasoning_model_id")
    assert set(pairs["author"]) == {"openai"} and len(pairs) < len(everything)


def test_concentration_is_computed_on_the_filtered_market() -> None:
    china = run_page("concentration", {"country": "CN"})
    everything = run_page("concentration")
    assert [m.label for m in everything.metric if m.label.startswith("HHI ")]  # the whole market has a headline
    hhi_cn = table_with(china, "hhi").set_index("period")["hhi"]
    hhi_all = table_with(everything, "hhi").set_index("period")["hhi"]
    shared = hhi_cn.index.intersection(hhi_all.index)
    assert len(shared) and not np.allclose(hhi_cn[shared].to_numpy(float), hhi_all[shared].to_numpy(float))
    assert "country: CN" in infos(china)


def test_models_table_and_search() -> None:
    openai = table_with(run_page("models", {"author": "openai"}), "price_state")
    assert set(openai["author"]) == {"openai"}
    searched = table_with(run_page("models", {"q": "claude"}), "price_state")
    text = (searched["model_name"].fillna("") + searched["model_id"]).str.lower()
    assert len(searched) > 0 and text.str.contains("claude").all()


def test_changes_follow_provider_and_direction() -> None:
    everything = run_page("changes")
    openai_cuts = run_page("changes", {"provider": "openai", "dir": "cut"})
    log = table_with(openai_cuts, "what")
    assert set(log["provider"]) == {"openai"} and set(log["change"]) == {"cut"}
    assert int(metric(openai_cuts, "Events").replace(",", "")) < int(metric(everything, "Events").replace(",", ""))


def test_methodology_replication_follows_the_view() -> None:
    view = table_with(run_page("methodology", {"author": "openai"}), "this_view")
    everything = table_with(run_page("methodology"), "this_view")
    assert not view["this_view"].equals(everything["this_view"])
    assert view["embedded_default"].equals(everything["embedded_default"])


def test_widgets_write_the_url_and_the_url_seeds_the_widgets() -> None:
    at = run_page("half_life", {"author": "openai"})
    assert at.multiselect(key="f_authors").value == ["openai"]
    at.button_group(key="o_method").set_value("theil-sen").run()
    at.multiselect(key="f_authors").set_value(["anthropic"]).run()
    assert not at.exception
    assert at.query_params["author"] == ["anthropic"] or at.query_params["author"] == "anthropic"
    assert "method" in at.query_params
    links = [str(c.value) for c in at.sidebar.code]
    assert any("author=anthropic" in link and "method=theil-sen" in link for link in links)


def test_as_of_in_the_url_turns_the_clock_back() -> None:
    at = run_page("models", {"asof": "2023-06-30"})
    table = table_with(at, "price_state")
    assert (pd.to_datetime(table["valid_from"]) <= pd.Timestamp("2023-07-01", tz="UTC")).all()


def test_missing_warehouse_explains_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOKENTIDE_DB", str(tmp_path / "nowhere.duckdb"))
    at = AppTest.from_file(str(MAIN), default_timeout=30)
    at.run()
    assert not at.exception
    assert "tokentide app" in " ".join(str(e.value) for e in at.error)


@pytest.mark.parametrize("page", ["overview", "price_curves", "changes", "methodology"])
def test_an_empty_warehouse_says_how_to_fill_it(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tokentide.warehouse.connection import writer

    db = tmp_path / "empty.duckdb"
    with writer(db):
        pass  # schema only, published for readers
    monkeypatch.setenv("TOKENTIDE_DB", str(db))
    at = run_page(page)
    assert "The warehouse holds no prices yet" in infos(at)


def test_custom_blend_weights_from_a_link() -> None:
    at = run_page("models", {"w": "10:1"})
    assert at.selectbox(key="f_weights").value == "custom…"
    assert at.text_input(key="f_weights_custom").value == "10:1"
    table = table_with(at, "price_state")
    paid = table[table["price_state"] == "paid"].dropna(subset=["usd_per_mtok_input", "usd_per_mtok_output"])
    expected = (10 * paid["usd_per_mtok_input"] + paid["usd_per_mtok_output"]) / 11
    assert paid["blended_usd_per_mtok"].tolist() == pytest.approx(expected.tolist())
    assert "blend **10:1**" in " ".join(str(c.value) for c in at.caption).replace("\\", "")


def test_the_share_basis_from_the_link_changes_what_is_counted() -> None:
    released = table_with(run_page("concentration"), "hhi").set_index("period")
    listed_page = run_page("concentration", {"basis": "models-listed-by-author"})
    listed = table_with(listed_page, "hhi").set_index("period")
    assert "listed in the catalogue during the period" in infos(listed_page)
    # models released before 2026 and still listed are in 2026's stock, not in its flow of releases
    assert listed.loc["2026", "total"] > released.loc["2026", "total"]
    assert not listed["hhi"].equals(released["hhi"])


def test_usage_basis_asks_for_the_file_a_link_cannot_carry() -> None:
    at = run_page("concentration", {"basis": "usage"})
    assert "needs a usage CSV" in infos(at)


def test_a_malformed_link_warns_and_falls_back() -> None:
    at = run_page("overview", {"from": "yesterday", "w": "x:y"})
    warnings = " ".join(str(w.value) for w in at.warning).replace("\\", "")
    assert "not a date" in warnings and "weights" in warnings
    assert metric(at, "Models and providers") == metric(run_page("overview"), "Models and providers")
