"""The login gate: with OpenID Connect configured ([auth] in secrets.toml), only allowed, logged-in users pass."""

from __future__ import annotations

import os

import streamlit as st

from tokentide.settings.auth import AUTH_REQUIRED_ENV, AuthSettings, auth_settings
from tokentide.settings.config import ConfigError, load_settings


def _login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, OSError, KeyError):  # no secrets file at all
        return False


def _allow_list() -> AuthSettings | str:
    try:
        return auth_settings(load_settings(None))
    except ConfigError as exc:
        return str(exc)


def _stop(message: str, *, login: bool = False, logout: bool = False) -> None:
    st.title("tokentide")
    st.info(message, icon=":material/lock:")
    if login:
        st.button("Log in", icon=":material/login:", on_click=st.login, type="primary")
    if logout:
        st.button("Log out", icon=":material/logout:", on_click=st.logout)
    st.stop()


def require_login() -> None:
    """Stop the run here unless the visitor may see the dashboard. Without a configured login and without
    `tokentide app` asking for one (it does beyond loopback), the dashboard is open, as on 127.0.0.1."""
    required = os.environ.get(AUTH_REQUIRED_ENV) == "required"
    if not _login_configured():
        if required:
            _stop("This dashboard requires a login, but no OpenID Connect login is configured ([auth] in "
                  "secrets.toml). Ask whoever runs it.")  # fmt: skip
        return
    if not st.user.is_logged_in:
        _stop("This tokentide dashboard is shared with a team. Log in to see it.", login=True)
    policy = _allow_list()
    email = st.user.get("email")
    if isinstance(policy, str):
        _stop(f"The allow-list cannot be read: {policy}", logout=True)
    elif policy.has_allow_list or required:
        verified = st.user.get("email_verified") is not False
        if not (verified and policy.allows(str(email) if email else None)):
            _stop(f"{email or 'This account'} is not on this dashboard's allow-list.", logout=True)
