"""Who may see the dashboard when it is served for a team: the [auth] config table and the OIDC secrets check."""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tokentide.settings.config import ConfigError, Settings

LOOPBACK_NAMES: frozenset[str] = frozenset({"localhost", "ip6-localhost"})
SHARED_KEYS: tuple[str, ...] = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS: tuple[str, ...] = ("client_id", "client_secret", "server_metadata_url")
AUTH_REQUIRED_ENV = "TOKENTIDE_AUTH"  # set to "required" by `tokentide app` when it serves beyond loopback


@dataclass(frozen=True)
class AuthSettings:
    """[auth] in the tokentide config: the allow-list, and where Streamlit's secrets.toml is."""

    allowed_emails: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    secrets_file: Path | None = None

    @property
    def has_allow_list(self) -> bool:
        return bool(self.allowed_emails or self.allowed_domains)

    def allows(self, email: str | None) -> bool:
        """An e-mail on the list, or at a listed domain (exact domain, case-insensitive)."""
        if not email or "@" not in email:
            return False
        address = email.strip().lower()
        domain = address.rsplit("@", 1)[1]
        return address in self.allowed_emails or domain in self.allowed_domains


def _strings(value: object, key: str, path: Path | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: auth.{key} must be a list of strings")
    return tuple(item.strip().lower().lstrip("@") if key == "allowed_domains" else item.strip().lower()
                 for item in value if item.strip())  # fmt: skip


def auth_settings(settings: Settings) -> AuthSettings:
    table = settings.section("auth")
    unknown = sorted(set(table) - {"allowed_emails", "allowed_domains", "secrets_file"})
    if unknown:
        raise ConfigError(f"{settings.path}: unknown key(s) in [auth]: {', '.join(unknown)}")
    secrets = table.get("secrets_file")
    if secrets is not None and (not isinstance(secrets, str) or not secrets.strip()):
        raise ConfigError(f"{settings.path}: auth.secrets_file must be a path")
    return AuthSettings(
        allowed_emails=_strings(table.get("allowed_emails", []), "allowed_emails", settings.path),
        allowed_domains=_strings(table.get("allowed_domains", []), "allowed_domains", settings.path),
        secrets_file=Path(secrets).expanduser() if secrets else None,
    )


def is_loopback(host: str) -> bool:
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def default_secrets_files(app_root: Path) -> list[Path]:
    """Where Streamlit looks for secrets.toml when none is named: the user's, then the app folder's."""
    return [Path.home() / ".streamlit" / "secrets.toml", app_root / ".streamlit" / "secrets.toml"]


def secrets_auth_problem(files: list[Path]) -> str | None:
    """Why the secrets do not configure an OpenID Connect login, or None when they do. Names keys, never values."""
    auth: dict[str, object] = {}
    for path in files:
        if not path.is_file():
            continue
        try:
            found = tomllib.loads(path.read_text(encoding="utf-8")).get("auth")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            return f"{path} cannot be read ({type(exc).__name__})"
        if isinstance(found, dict):
            auth.update(found)
    if not auth:
        return f"no [auth] section in {' or '.join(str(p) for p in files)}"
    missing = [key for key in SHARED_KEYS if not auth.get(key)]
    providers = [auth, *(v for v in auth.values() if isinstance(v, dict))]
    if not any(all(p.get(key) for key in PROVIDER_KEYS) for p in providers):
        missing.append("client_id, client_secret and server_metadata_url (in [auth] or an [auth.<provider>])")
    return f"[auth] in secrets.toml lacks {', '.join(missing)}" if missing else None
