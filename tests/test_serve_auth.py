"""`tokentide app` beyond loopback: refuses without a login, warns with --no-auth, passes a configured login on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tokentide.cli import main
from tokentide.commands import serve
from tokentide.commands.serve_access import decide_access
from tokentide.settings.auth import AuthSettings, is_loopback

SECRETS = """[auth]
redirect_uri = "https://prices.example.org/oauth2callback"
cookie_secret = "not-a-real-secret"
[auth.company]
client_id = "tokentide"
client_secret = "not-a-real-secret-either"
server_metadata_url = "https://login.example.org/.well-known/openid-configuration"
"""


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str]]]:
    """Record the Streamlit command instead of starting it (the real socket is checked in test_security)."""
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(serve, "serve_until_stopped", lambda command, env, cwd: calls.append((command, env)) or 0)
    monkeypatch.setattr(serve, "start_warm_up", lambda host, port: None)
    return calls


def test_serving_everyone_without_a_login_is_refused_in_one_line(
    tmp_path: Path, launched: list, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    assert main(["--db", str(db), "app", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tokentide app: refusing to serve 0.0.0.0 without authentication")
    assert "--no-auth" in err and "Traceback" not in err
    assert launched == [] and not db.exists()  # nothing served, nothing written


def test_no_auth_serves_with_a_warning(tmp_path: Path, launched: list, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "w.duckdb"), "app", "--host", "0.0.0.0", "--no-auth"]) == 0
    assert "warning: serving 0.0.0.0 with no login (--no-auth)" in capsys.readouterr().err
    command, env = launched[0]
    assert command[command.index("--server.address") + 1] == "0.0.0.0" and "TOKENTIDE_AUTH" not in env


def test_a_configured_login_and_allow_list_serve_and_require_the_login(tmp_path: Path, launched: list) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(SECRETS)
    config = tmp_path / "config.toml"
    config.write_text(f'[auth]\nallowed_domains = ["example.org"]\nsecrets_file = "{secrets}"\n')
    assert main(["--db", str(tmp_path / "w.duckdb"), "--config", str(config), "app", "--host", "0.0.0.0"]) == 0
    command, env = launched[0]
    assert env["TOKENTIDE_AUTH"] == "required"
    assert command[command.index("--secrets.files") + 1] == str(secrets)


@pytest.mark.parametrize(
    ("secrets", "allow", "reason"),
    [
        (SECRETS, (), "no allow-list"),
        (SECRETS.replace('cookie_secret = "not-a-real-secret"\n', ""), ("example.org",), "lacks cookie_secret"),
        (SECRETS.replace("client_secret", "client_secrett"), ("example.org",), "lacks client_id, client_secret"),
        ("[server]\nport = 1\n", ("example.org",), "no [auth] section"),
    ],
)
def test_an_incomplete_login_is_refused_and_names_what_is_missing(
    tmp_path: Path, secrets: str, allow: tuple[str, ...], reason: str
) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(secrets)
    access = decide_access("10.1.2.3", AuthSettings(allowed_domains=allow, secrets_file=path), tmp_path, False)
    assert access.refusal is not None and reason in access.refusal
    assert "not-a-real-secret" not in access.refusal  # names keys, never values


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True), ("0.0.0.0", False),
     ("::", False), ("192.168.1.5", False), ("prices.example.org", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_allow_list_matches_whole_addresses_and_whole_domains() -> None:
    auth = AuthSettings(allowed_emails=("ada@example.org",), allowed_domains=("team.example.org",))
    assert auth.allows("Ada@Example.org") and auth.allows("bob@team.example.org")
    assert not auth.allows("bob@example.org") and not auth.allows("bob@evilteam.example.org")
    assert not auth.allows("team.example.org") and not auth.allows(None)


def test_beyond_loopback_visitors_see_no_tracebacks(tmp_path: Path) -> None:
    """.streamlit/config.toml shows full error details on a developer's machine; a shared server shows only the type."""
    remote = decide_access("0.0.0.0", AuthSettings(), tmp_path, True).streamlit_options
    local = decide_access("127.0.0.1", AuthSettings(), tmp_path, True).streamlit_options
    assert remote[remote.index("--client.showErrorDetails") + 1] == "type"
    assert "--client.showErrorDetails" not in local
