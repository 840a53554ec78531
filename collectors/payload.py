"""Decoding raw payload bytes into text, JSON or CSV rows, with one-line errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any

from tokentide.warehouse.records import PayloadError


def decode_text(raw: bytes) -> str:
    if len(raw) == 0:
        raise PayloadError("empty payload (0 bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not text.strip():
        raise PayloadError("payload holds only whitespace")
    return text


def decode_json(raw: bytes) -> Any:
    text = decode_text(raw)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")  # runs to the end
        hint = "truncated JSON" if cut else "invalid JSON"
        raise PayloadError(f"{hint}: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise PayloadError("JSON nested too deeply to read") from exc


def decode_csv(raw: bytes, required: tuple[str, ...]) -> list[dict[str, str]]:
    text = decode_text(raw)
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in required if c not in header]
    if missing:
        raise PayloadError(f"CSV lacks required columns {missing} (has {header[:8]}...)")
    try:
        return list(reader)
    except csv.Error as exc:
        raise PayloadError(f"malformed CSV: {exc}") from exc


def compact_json(value: Any, limit: int = 4000) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


def unix_to_utc(value: object) -> datetime | None:
    """A unix-seconds timestamp as naive UTC; None when absent or implausible."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 946684800 <= value <= 4102444800:  # 2000-01-01 .. 2100-01-01
        return None
    return datetime.fromtimestamp(value, tz=UTC).replace(tzinfo=None)


def parse_date(value: object) -> date | None:
    """YYYY-MM-DD (or a longer ISO string); None when absent or unreadable."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        parsed = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return parsed if parsed.year >= 1990 else None


def as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "1"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "no", "0"}:
        return False
    return None
