"""Serving for a team: a login in front of the dashboard, and an allow-list of e-mails or domains."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import MAIN

AUTH_SECRETS = {
    "redirect_uri": "https://prices.example.org/oauth2callback",
    "cookie_secret": "test-cookie-secret-not-a-real-one",
    "client_id": "tokentide-test",
    "client_secret": "test-client-secret",
    "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
}


def app_with_login(user: dict[str, object], config: Path) -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.secrets["auth"] = AUTH_SECRETS
    at.user = user
    return at


@pytest.fixture
def team_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config.toml"
    config.write_text('[auth]\nallowed_emails = ["ada@example.org"]\nallowed_domains = ["team.example.org"]\n')
    monkeypatch.setenv("TOKENTIDE_CONFIG", str(config))
    return config


def buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_an_anonymous_visitor_sees_only_a_login(app_db: Path, team_config: Path) -> None:
    at = app_with_login({"is_logged_in": False}, team_config).run()
    assert not at.exception
    assert buttons(at) == ["Log in"]
    assert "Log in to see it" in at.info[0].value
    assert not at.sidebar.markdown and not at.dataframe  # no filters, no data


@pytest.mark.parametrize("email", ["ada@example.org", "grace@team.example.org"])
def test_an_allowed_user_sees_the_dashboard(app_db: Path, team_config: Path, email: str) -> None:
    at = app_with_login({"is_logged_in": True, "email": email, "email_verified": True}, team_config).run()
    assert not at.exception
    assert "Log in" not in buttons(at)
    assert not any("allow-list" in value for value in at.info.values)
    assert any("Filters" in m.value for m in at.sidebar.markdown)


@pytest.mark.parametrize("email", ["eve@example.com", "mallory@team.example.org.evil.com", "ADA@example.org.x"])
def test_a_user_off_the_allow_list_is_stopped(app_db: Path, team_config: Path, email: str) -> None:
    at = app_with_login({"is_logged_in": True, "email": email}, team_config).run()
    assert buttons(at) == ["Log out"]
    assert "not on this dashboard's allow-list" in at.info[0].value
    assert not at.sidebar.markdown


def test_an_unverified_email_is_stopped(app_db: Path, team_config: Path) -> None:
    at = app_with_login({"is_logged_in": True, "email": "ada@example.org", "email_verified": False}, team_config)
    at.run()
    assert buttons(at) == ["Log out"] and not at.sidebar.markdown


def test_served_beyond_loopback_without_a_login_configured_the_app_shows_nothing(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKENTIDE_AUTH", "required")
    at = AppTest.from_file(str(MAIN), default_timeout=120).run()
    assert "no OpenID Connect login is configured" in at.info[0].value
    assert not at.sidebar.markdown


def test_on_loopback_without_a_login_the_dashboard_is_open(app_db: Path) -> None:
    at = AppTest.from_file(str(MAIN), default_timeout=120).run()
    assert not at.exception and any("Filters" in m.value for m in at.sidebar.markdown)
