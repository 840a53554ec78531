"""The release-date summary shared by `tokentide dates` and the Methodology page: bases, lag, conflicts."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import duckdb

from tokentide.analytics.release_dates import CONFLICT_DAYS, conflicts, coverage_by_basis, first_seen_lag
from tokentide.warehouse.release_dates import FIRST_SEEN_MAX_BRACKET_DAYS, candidates_frame, chosen_frame, priced_models


def _plain(value: Any) -> Any:
    """Strict JSON: NaN and infinities become null; dates become ISO strings; numpy scalars plain."""
    if hasattr(value, "item") and not hasattr(value, "isoformat"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value


def release_date_summary(conn: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Models priced and dated (by basis), the first-seen lag against curated/Epoch dates, and conflicts."""
    candidates, chosen = candidates_frame(conn), chosen_frame(conn)
    priced = priced_models(conn)
    dated = chosen[chosen["canonical_model_id"].isin(priced)]
    found = conflicts(candidates, chosen)
    lag = first_seen_lag(candidates)
    return {
        "models_priced": len(priced),
        "models_dated": len(dated),
        "dated_by_basis": coverage_by_basis(dated),
        "first_seen_max_bracket_days": FIRST_SEEN_MAX_BRACKET_DAYS,
        "first_seen_lag": {k: _plain(v) for k, v in asdict(lag).items()},
        "conflict_days": CONFLICT_DAYS,
        "conflicts": len(found),
        "conflict_rows": [{k: _plain(v) for k, v in row.items()} for row in found.to_dict("records")],
    }
