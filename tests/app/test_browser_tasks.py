"""The three users' tasks in headless Debian chromium at 1400 and 800 px wide, on the embedded default.

Product manager: what did three makers change recently, how does a mid-tier model compare today.
Policy analyst: is the market getting more concentrated, on what definition, US vs China.
Journalist: a chart of how fast prices fall, with source and date, exported to publish.
Screenshots go to test-artifacts/browser/tasks/ (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.app.conftest import chromium_or_skip
from tests.app.test_browser import ARTIFACTS, CHROMIUM_ARGS, assert_no_exception, open_and_settle, server  # noqa: F401

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "tasks"
WIDTHS = (1400, 800)
THREE = "author=anthropic,openai,google"
LEAKS = re.compile(r"\b(None|nan|NaN|inf|Infinity)\b")


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def tab(request: pytest.FixtureRequest, server: str):  # noqa: ANN201, F811 - playwright's Page
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": request.param, "height": 1800}, accept_downloads=True)
        page.width_px = request.param  # type: ignore[attr-defined]
        yield page
        browser.close()


def main_text(page) -> str:  # noqa: ANN001
    return page.locator("[data-testid='stMain']").inner_text()


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(SHOTS / f"{name}_{page.width_px}.png"))


def assert_readable(page, where: str) -> None:  # noqa: ANN001
    """No exception, the stale-data banner (the default's data end on 26 Oct 2026), no None/NaN/inf text."""
    assert_no_exception(page, where)
    text = main_text(page)
    assert "The newest prices are" in text and "26 Oct 2026" in text, where
    assert "tokentide collect" in text, where
    leaked = LEAKS.findall(text)
    assert not leaked, f"{where}: {leaked[:5]}"


def table_rows(page, key: str) -> list[list[str]]:  # noqa: ANN001
    """A st.dataframe's cells from the grid's accessible table (the visible grid is a canvas)."""
    selector = f".st-key-{key} [data-testid='stDataFrame'] table"
    page.locator(f".st-key-{key}").scroll_into_view_if_needed()  # the grid draws its rows once in view
    page.wait_for_selector(f"{selector} td", state="attached", timeout=30_000)
    rows = page.locator(f"{selector} tr").evaluate_all("rows => rows.map(r => [...r.children].map(c => c.innerText))")
    return rows[1:]


def table_under(page, heading: str) -> list[list[str]]:  # noqa: ANN001
    """The cells of the first table after a heading (tables without a selection carry no key class)."""
    page.get_by_text(heading).first.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    return page.evaluate(
        """heading => {
            const marks = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')];
            const mark = marks.find(m => m.innerText.includes(heading));
            const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
            const after = grids.find(g => mark.compareDocumentPosition(g) & Node.DOCUMENT_POSITION_FOLLOWING);
            return [...after.querySelectorAll('tr')].slice(1).map(r => [...r.children].map(c => c.innerText));
        }""",
        heading,
    )


def test_product_manager_compares_todays_mid_tier_prices(server: str, tab) -> None:  # noqa: ANN001, F811
    open_and_settle(tab, f"{server}/models?tier=mid&{THREE}")
    assert_readable(tab, "models")
    models = [row[0] for row in table_rows(tab, "model_table")]
    assert models and len(models) == len(set(models)), models  # one row per model
    assert "Claude 3 Sonnet" not in models  # superseded generations hidden by default
    assert "What would my workload cost?" in main_text(tab)
    shot(tab, "pm-models")
    tab.locator(".st-key-o_models input").first.click()
    tab.keyboard.type("Claude Sonnet 4.6")
    tab.get_by_role("option", name=re.compile("Claude Sonnet 4.6")).first.click()
    tab.keyboard.press("Escape")
    tab.wait_for_timeout(500)
    tab.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=90_000)
    tab.wait_for_timeout(1500)
    assert "claude-sonnet-4-6" in tab.url  # the display name found the model
    tab.wait_for_selector(".js-plotly-plot .gtitle", timeout=60_000)
    assert "Price histories: Claude Sonnet 4.6" in tab.locator(".js-plotly-plot .gtitle").first.text_content()
    shot(tab, "pm-compare")


def test_product_manager_reads_recent_changes(server: str, tab) -> None:  # noqa: ANN001, F811
    open_and_settle(tab, f"{server}/changes?{THREE}")
    assert_readable(tab, "changes")
    assert "usd_per_mtok" not in main_text(tab)
    rows = table_rows(tab, "changes_table")
    assert rows and all("→" in " ".join(row) for row in rows[:20])  # "input $3 → $2 (−33 %)"
    shot(tab, "pm-changes")
    open_and_settle(tab, f"{server}/changes?{THREE}&since=2026-11-01")
    assert "The data end on 26 Oct 2026" in main_text(tab)
    shot(tab, "pm-changes-past-the-data")


def test_policy_analyst_reads_concentration_and_us_vs_china(server: str, tab) -> None:  # noqa: ANN001, F811
    open_and_settle(tab, f"{server}/concentration?period=quarter")
    assert_readable(tab, "concentration")
    shot(tab, "policy-concentration")
    text = main_text(tab)
    assert "not of usage or revenue" in text and "usage" in text
    assert "US vs China" in text and "Mann-Whitney" in text
    tiers = [row[0] for row in table_under(tab, "Median blended launch price")]
    assert tiers == ["all tiers", "economy", "mid", "flagship"]
    assert "1992" not in text  # one guideline system
    headline = tab.get_by_test_id("stMetricLabel").first.inner_text()
    assert headline.startswith("HHI ") and "2026Q3" not in headline  # the thin, one-release quarter is not it
    shot(tab, "policy-us-vs-china")


def test_journalist_exports_the_price_curves(server: str, tab) -> None:  # noqa: ANN001, F811
    open_and_settle(tab, f"{server}/price_curves?country=US")
    assert_readable(tab, "price curves")
    assert "Not drawn: 0" not in main_text(tab)
    shot(tab, "journalist-curves")
    with tab.expect_download(timeout=90_000) as download:
        tab.get_by_role("button", name="CSV").first.click()
    assert download.value.suggested_filename == "price-curves_2026-10-26_country-US.csv"
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert "inf" not in csv.lower() and not re.search(r"\d\.\d{7,}", csv)  # rounded, no infinities
    buttons = tab.get_by_test_id("stDownloadButton")
    for label in ("PNG", "SVG", "CSV", "Bundle (zip)"):
        assert buttons.filter(has_text=label).first.is_visible(), label  # labels kept at every width
    open_and_settle(tab, f"{server}/half_life?from=2023-01-01&hpanel=start+date")
    assert_readable(tab, "half-life from 2023")
    assert "depends on the start date" in main_text(tab) or "Check the start date panel" in main_text(tab)
    shot(tab, "journalist-half-life-start-date")


def test_narrow_screens_collapse_the_sidebar(server: str, tab) -> None:  # noqa: ANN001, F811
    open_and_settle(tab, f"{server}/")
    tab.wait_for_timeout(1500)
    width = tab.locator("[data-testid='stSidebar']").evaluate("bar => bar.getBoundingClientRect().right")
    if tab.width_px <= 900:
        assert width <= 0
    else:
        assert width > 200
    shot(tab, "overview")
