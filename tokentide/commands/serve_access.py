"""Whether `tokentide app` may serve on a host: loopback is open; beyond it a login (or --no-auth) is required."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tokentide.settings.auth import (
    AUTH_REQUIRED_ENV,
    AuthSettings,
    default_secrets_files,
    is_loopback,
    secrets_auth_problem,
)

DOCS = "docs/reliability.md#serving-for-a-team"


@dataclass(frozen=True)
class Access:
    refusal: str | None = None  # one line: why the app will not start
    warning: str | None = None
    env: dict[str, str] = field(default_factory=dict)  # for the Streamlit child
    streamlit_options: tuple[str, ...] = ()


REMOTE_OPTIONS: tuple[str, ...] = ("--client.showErrorDetails", "type")


def decide_access(host: str, auth: AuthSettings, app_root: Path, no_auth: bool) -> Access:
    """Loopback: served as before (a login still applies if secrets configure one). Beyond loopback: an OIDC
    login in secrets.toml plus an allow-list in the config, or --no-auth with a warning; else a refusal."""
    files = [auth.secrets_file] if auth.secrets_file else default_secrets_files(app_root)
    options = ("--secrets.files", str(auth.secrets_file)) if auth.secrets_file else ()
    if is_loopback(host):
        return Access(streamlit_options=options)
    options = (*options, *REMOTE_OPTIONS)  # beyond this machine, visitors see an error's type, not its traceback
    if no_auth:
        return Access(
            warning=f"serving {host} with no login (--no-auth): anyone who can reach this address sees the dashboard",
            streamlit_options=options,
        )
    problem = secrets_auth_problem(files)
    if problem is None and not auth.has_allow_list:
        problem = "no allow-list: set auth.allowed_emails or auth.allowed_domains in the config"
    if problem is not None:
        return Access(
            refusal=f"refusing to serve {host} without authentication ({problem}); configure an OpenID Connect "
            f"login and an allow-list (see {DOCS}), serve on 127.0.0.1, or pass --no-auth"
        )
    return Access(env={AUTH_REQUIRED_ENV: "required"}, streamlit_options=options)
