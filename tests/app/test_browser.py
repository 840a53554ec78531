"""The real thing: `tokentide app` on a free port, every page in headless Debian chromium, filters via the URL.

Screenshots go to test-artifacts/browser/. Chromium missing: skipped locally, a failure when CI=true.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.app.conftest import INJECTION, chromium_or_skip
from tests.app.png_ink import source_line_ink
from tests.helpers import free_port, wait_for_health

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "": "LLM token prices at a glance",
    "price_curves": "Price curves",
    "half_life": "Price half-life",
    "premium": "Reasoning premium",
    "concentration": "Market concentration",
    "models": "Models & prices",
    "changes": "Price changes",
    "methodology": "Methodology & data",
    "capability": "Price of capability",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`tokentide app` on an empty warehouse (it loads the embedded default), in its own process group."""
    chromium_or_skip()
    folder = tmp_path_factory.mktemp("browser")
    port = free_port()
    env = {**os.environ, "TOKENTIDE_CONFIG": str(folder / "no-config.toml")}
    log = (folder / "app.log").open("w")
    command = [sys.executable, "-m", "tokentide.cli", "--db", str(folder / "w.duckdb"), "app", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_or_skip(), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1440, "height": 2200})
        yield tab
        browser.close()


def open_and_settle(page, url: str) -> None:  # noqa: ANN001 - playwright's Page
    """Load a URL and wait until the script has finished running and the charts are drawn."""
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=90_000)
    page.wait_for_timeout(800)  # plotly draws after the script run ends
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=90_000)


def assert_no_exception(page, where: str) -> None:  # noqa: ANN001
    boxes = page.locator("[data-testid='stException']")
    assert boxes.count() == 0, f"{where}: {boxes.first.inner_text()[:500]}"


def test_every_page_renders_without_an_exception(server: str, page) -> None:  # noqa: ANN001
    for path, title in PAGES.items():
        open_and_settle(page, f"{server}/{path}")
        assert_no_exception(page, path or "overview")
        assert page.locator("h1").first.inner_text().strip() == title
        assert "Data as of 2026-" in page.locator("[data-testid='stSidebar']").inner_text()
        page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}.png"))
    charts = page.locator(".js-plotly-plot")
    open_and_settle(page, f"{server}/price_curves")
    assert charts.count() >= 1


def test_a_filter_in_the_url_changes_the_view_and_survives_navigation(server: str, page) -> None:  # noqa: ANN001
    open_and_settle(page, f"{server}/models")
    everything = page.get_by_test_id("stMetricValue").first.inner_text()
    open_and_settle(page, f"{server}/models?author=openai&tier=economy")
    assert_no_exception(page, "models filtered")
    filtered = page.get_by_test_id("stMetricValue").first.inner_text()
    assert int(filtered.replace(",", "")) < int(everything.replace(",", ""))
    assert "openai" in page.locator("[data-testid='stSidebar']").inner_text()
    page.screenshot(path=str(ARTIFACTS / "models-filtered.png"))
    page.get_by_role("link", name="Half-life").first.click()
    page.wait_for_url("**/half_life**", timeout=30_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=60_000)
    page.wait_for_timeout(1500)
    assert "author=openai" in page.url and "tier=economy" in page.url
    assert_no_exception(page, "half-life after navigation")


def test_injection_in_the_url_shows_an_empty_state(server: str, page) -> None:  # noqa: ANN001
    open_and_settle(page, f"{server}/models?author={quote(INJECTION)}&tier={'z' * 3000}")
    assert_no_exception(page, "injection")
    assert "No models match these filters" in page.locator("[data-testid='stMain']").inner_text()
    page.screenshot(path=str(ARTIFACTS / "injection-empty-state.png"))
    open_and_settle(page, f"{server}/methodology")
    assert_no_exception(page, "methodology after injection")


def test_the_png_button_downloads_the_chart_with_its_source_line(server: str, page, scope) -> None:  # noqa: ANN001
    from tokentide.reporting.chartbook import build_chart

    open_and_settle(page, f"{server}/concentration")
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="PNG", exact=True).first.click()
    path = download.value.path()
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 40_000
    # the same chart on the same embedded default, rendered without its source line, has no ink there
    assert source_line_ink(data, build_chart("concentration", scope)) > 1_000
    assert download.value.suggested_filename == "concentration_2026-10-26.png"
    with page.expect_download(timeout=60_000) as csv:
        page.get_by_role("button", name="CSV", exact=True).first.click()
    assert Path(csv.value.path()).read_text(encoding="utf-8").startswith("period,hhi,cr4")
    assert_no_exception(page, "after downloads")
