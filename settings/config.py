"""Settings from a TOML file (path: --config, $TOKENTIDE_CONFIG or <user config dir>/config.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tokentide.analytics.tier_names import TIERS
from tokentide.settings.paths import default_config_path
from tokentide.warehouse.guard import GuardSettings


class ConfigError(Exception):
    """The config file exists but cannot be used; the message names the file and the key."""


TIER_NAMES: tuple[str, ...] = TIERS


@dataclass(frozen=True)
class Settings:
    path: Path | None = None
    guard: GuardSettings = field(default_factory=GuardSettings)
    tier_overrides: dict[str, str] = field(default_factory=dict)  # model id (canonical or source) -> tier
    raw: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{self.path}: [{name}] must be a table")
        return value


def _guard_from(table: dict[str, Any], path: Path | None) -> GuardSettings:
    defaults = GuardSettings()
    values: dict[str, float] = {}
    for key in ("max_shrink_share", "max_drop_share", "drop_window_days"):
        if key in table:
            value = table[key]
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{path}: guard.{key} must be a non-negative number, got {value!r}")
            values[key] = float(value)
    return GuardSettings(**{**defaults.__dict__, **values})


def _tier_overrides_from(raw: dict[str, Any], path: Path | None) -> dict[str, str]:
    """[tiers.overrides] "model-id" = "flagship" | "mid" | "economy" — applied after any tier rule."""
    tiers = raw.get("tiers", {})
    if not isinstance(tiers, dict):
        raise ConfigError(f"{path}: [tiers] must be a table")
    unknown = sorted(set(tiers) - {"overrides"})
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) in [tiers]: {', '.join(unknown)}")
    overrides = tiers.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ConfigError(f"{path}: [tiers.overrides] must be a table of model id = tier")
    for model, tier in overrides.items():
        if tier not in TIER_NAMES:
            raise ConfigError(f"{path}: tiers.overrides.{model} must be one of {', '.join(TIER_NAMES)}, got {tier!r}")
    return {str(model): str(tier) for model, tier in overrides.items()}


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file if it exists; a missing file means defaults."""
    path = path or default_config_path()
    if not path.exists():
        return Settings(path=None)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    guard_table = raw.get("guard", {})
    if not isinstance(guard_table, dict):
        raise ConfigError(f"{path}: [guard] must be a table")
    return Settings(
        path=path, guard=_guard_from(guard_table, path), tier_overrides=_tier_overrides_from(raw, path), raw=raw
    )


def public_url(settings: Settings) -> str | None:
    """[app] public_url: the address readers reach the dashboard at (e.g. https://prices.example.org/), used for
    permalinks and in exported SOURCE.txt instead of the local address. Unset: the address the browser used."""
    from urllib.parse import urlsplit

    value = settings.section("app").get("public_url")
    if value is None or value == "":
        return None
    parts = urlsplit(str(value)) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"{settings.path}: app.public_url must be an http(s) address without query, e.g. "
            f"'https://prices.example.org/', got {value!r}"
        )
    return str(value)
