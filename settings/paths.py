"""Where tokentide keeps its warehouse and config: per-user folders, never inside the repo."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "tokentide"
DB_ENV = "TOKENTIDE_DB"
CONFIG_ENV = "TOKENTIDE_CONFIG"


def user_data_dir() -> Path:
    """XDG data home on Linux, Application Support on macOS, LOCALAPPDATA on Windows."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME


def user_config_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / APP_NAME


def default_db_path() -> Path:
    """The warehouse path: $TOKENTIDE_DB if set, else <user data dir>/tokentide.duckdb."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "tokentide.duckdb"


def default_config_path() -> Path:
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return user_config_dir() / "config.toml"
