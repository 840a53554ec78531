"""Helpers shared by the sub-commands: settings, timestamps, printing."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from tokentide.settings.config import Settings, load_settings
from tokentide.warehouse.clock import to_naive_utc
from tokentide.warehouse.strict_json import dumps


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def iso_datetime(text: str) -> datetime:
    """argparse type: an ISO date or datetime, naive = UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO date or datetime: {text!r}") from exc
    return to_naive_utc(value)


def print_json(value: Any) -> None:
    """Every `--json` output goes through here: strict JSON, no NaN or Infinity (warehouse/strict_json.py)."""
    sys.stdout.write(dumps(value, indent=2) + "\n")


def fail(command: str, message: str) -> None:
    print(f"tokentide {command}: {message}", file=sys.stderr)
