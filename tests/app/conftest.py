"""Fixtures for the dashboard tests: one warehouse holding the embedded default, built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tokentide.reporting.dataset import Dataset, load_dataset
from tokentide.reporting.filters import Filters
from tokentide.reporting.scope import Scope, build_scope

APP_DIR = Path(__file__).resolve().parents[2] / "app"
MAIN = APP_DIR / "main.py"
PAGES: dict[str, str] = {
    "overview": "views/overview.py",
    "price_curves": "views/price_curves.py",
    "half_life": "views/half_life.py",
    "premium": "views/premium.py",
    "concentration": "views/concentration.py",
    "models": "views/models.py",
    "changes": "views/changes.py",
    "methodology": "views/methodology.py",
    "capability": "views/capability.py",
}
INJECTION = "x'); DROP TABLE models; --"


def chromium_or_skip() -> str:
    """Debian's chromium; a missing browser skips locally but fails in CI (CI=true)."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path:
        return path
    message = "Debian chromium is not installed (apt-get install chromium): browser and image tests need it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def default_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with the embedded default loaded, exactly as `tokentide app` prepares it."""
    from tokentide.reporting.prepare import prepare

    db = tmp_path_factory.mktemp("dashboard") / "warehouse.duckdb"
    prepare(db)
    return db


@pytest.fixture
def app_db(default_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app (run in-process by AppTest) at the default warehouse."""
    monkeypatch.setenv("TOKENTIDE_DB", str(default_warehouse))
    return default_warehouse


@pytest.fixture(scope="session")
def dataset(default_warehouse: Path) -> Dataset:
    return load_dataset(default_warehouse)


@pytest.fixture(scope="session")
def scope(dataset: Dataset) -> Scope:
    return build_scope(dataset, Filters())
