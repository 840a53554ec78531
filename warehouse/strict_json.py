"""One strict JSON encoder for every `--json` output, manifest and alert: never NaN or Infinity."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or value is pd.NA


def strict_value(value: Any) -> Any:
    """A JSON-safe copy: NaN, Infinity, NaT and NA become null (a caller that means 'unbounded' says so with a
    flag beside the value), numpy scalars are unwrapped, dates and datetimes become ISO-8601 strings, Decimal a
    number, tuples and sets lists, dataclasses objects; anything else its str()."""
    if _missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): strict_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [strict_value(v) for v in items]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return strict_value({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    if isinstance(value, Path):
        return str(value)
    return str(value)


def dumps(value: Any, *, indent: int | None = None, sort_keys: bool = False) -> str:
    """Strict JSON text (RFC 8259): allow_nan=False guards what strict_value already replaced."""
    return json.dumps(strict_value(value), indent=indent, sort_keys=sort_keys, ensure_ascii=False, allow_nan=False)


def strict_loads(text: str) -> Any:
    """Parse JSON and refuse NaN, Infinity and -Infinity (what jq and browsers refuse)."""

    def refuse(constant: str) -> Any:
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)
