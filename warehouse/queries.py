"""Named read queries: every value is a bound parameter, never formatted into SQL."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from tokentide.warehouse.records import PRICE_FIELDS
from tokentide.warehouse.release_dates import CHOSEN_SQL

# Which source's word wins for a model's facts, lowest first. The curated table is authoritative.
FACT_PRIORITY: dict[str, int] = {
    "milestones": 1, "epoch": 2, "modelsdev": 3, "model-prices": 4, "genai-prices": 5,
    "openrouter": 6, "litellm": 7,
}  # fmt: skip

_PRIORITY_CASE = (
    "CASE f.source " + " ".join(f"WHEN '{name}' THEN {rank}" for name, rank in FACT_PRIORITY.items()) + " ELSE 99 END"
)


def _resolved(field: str) -> str:
    return f"arg_min(f.{field}, {_PRIORITY_CASE}) FILTER (WHERE f.{field} IS NOT NULL) AS {field}"


MODELS_SQL = f"""
SELECT f.canonical_model_id,
       {_resolved("model_name")}, {_resolved("author")}, {_resolved("author_country")},
       {_resolved("family")}, {_resolved("tier")}, {_resolved("release_date")},
       {_resolved("is_reasoning")}, {_resolved("is_open_weights")},
       string_agg(DISTINCT f.source, ', ' ORDER BY f.source) AS fact_sources
FROM model_facts f
GROUP BY f.canonical_model_id
"""  # noqa: S608 - only module constants are interpolated

_PRICE_COLUMNS = ", ".join(f"CAST(i.{p} AS DOUBLE) AS {p}" for p in PRICE_FIELDS)

INTERVALS_SQL = f"""
WITH models AS ({MODELS_SQL}), dates AS ({CHOSEN_SQL})
SELECT i.interval_id, i.model_id, i.canonical_model_id, coalesce(m.model_name, i.model_id) AS model_name,
       coalesce(i.author, m.author) AS author,
       coalesce(a.country, m.author_country) AS author_country,
       i.source_provider, i.provider,
       (coalesce(p.first_party_author, i.provider) = coalesce(i.author, m.author)) AS is_first_party,
       i.source, CAST(coalesce(d.release_date, m.release_date) AS TIMESTAMP) AS release_date,
       CASE WHEN d.release_date IS NOT NULL THEN d.release_date_basis
            WHEN m.release_date IS NOT NULL THEN 'model facts' END AS release_date_basis,
       coalesce(d.release_date_is_estimate, FALSE) AS release_date_is_estimate, m.tier, m.family,
       m.is_reasoning, m.is_open_weights, i.valid_from, i.valid_to, {_PRICE_COLUMNS},
       i.price_state, coalesce(i.source_url, s.origin) AS source_url, i.opened_by_snapshot AS snapshot_id,
       s.sha256, s.fetched_at AS captured_at, i.close_reason
FROM price_intervals i
LEFT JOIN models m USING (canonical_model_id)
LEFT JOIN dates d USING (canonical_model_id)
LEFT JOIN ref_authors a ON a.author = coalesce(i.author, m.author)
LEFT JOIN ref_providers p ON p.provider = i.provider
LEFT JOIN raw_snapshots s ON s.snapshot_id = i.opened_by_snapshot
WHERE (CAST(? AS TIMESTAMP) IS NULL OR i.valid_from <= CAST(? AS TIMESTAMP))
"""  # noqa: S608 - only module constants are interpolated


def models_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute(MODELS_SQL + " ORDER BY 1").df()


def intervals_frame(conn: duckdb.DuckDBPyConnection, as_of: datetime | None = None) -> pd.DataFrame:
    """All price intervals with model facts and provenance, in analytics' column contract."""
    frame = conn.execute(INTERVALS_SQL + " ORDER BY i.interval_id", [as_of, as_of]).df()
    for column in ("valid_from", "valid_to", "captured_at"):
        frame[column] = pd.to_datetime(frame[column]).dt.tz_localize("UTC")
    frame["release_date"] = pd.to_datetime(frame["release_date"])
    return frame
