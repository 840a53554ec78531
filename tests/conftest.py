"""Shared test fixtures: an isolated warehouse per test, and the recorded payloads in tests/fixtures."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep the developer's machine out of tests: no real warehouse, config, data folders or home folder
    (Streamlit reads ~/.streamlit/config.toml and secrets.toml from it; `tokentide app` checks the latter)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("TOKENTIDE_DB", str(tmp_path / "default.duckdb"))
    monkeypatch.setenv("TOKENTIDE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("ARTIFICIAL_ANALYSIS_API_KEY", raising=False)  # a developer's key must not switch it on
    yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def fixture_path(name: str) -> Path:
    return FIXTURES / name


def fixture_bytes(name: str) -> bytes:
    return fixture_path(name).read_bytes()


def fixture_json(name: str) -> object:
    return json.loads(fixture_bytes(name))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Streamlit's AppTest keeps a module-level TemporaryDirectory it never removes; remove it here rather than
    leave Python to warn about it at exit."""
    app_test = sys.modules.get("streamlit.testing.v1.app_test")
    tmp_dir = getattr(app_test, "TMP_DIR", None)
    if tmp_dir is not None:
        tmp_dir.cleanup()
