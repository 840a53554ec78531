"""Release-date candidates per model from every source, in a stated order of trust, and the date chosen.

Order of trust (lowest rank wins; ties go to the earlier date): the curated milestones table; Epoch AI's
publication date; OpenRouter's `created`; models.dev's `release_date`; the first time a price list listed
the model ("first seen", an estimate). A first-seen date counts only when it is bracketed: the source had
an earlier snapshot that did not list the model, at most FIRST_SEEN_MAX_BRACKET_DAYS before. A model in a
source's first snapshot was listed "since at least" then (left-censored), which says nothing of its release.
"""

from __future__ import annotations

import duckdb
import pandas as pd

FIRST_SEEN_MAX_BRACKET_DAYS = 45
FIRST_SEEN_RANK = 6
BASES: dict[str, tuple[int, str]] = {  # source -> (rank, basis shown with the date)
    "milestones": (1, "curated table"),
    "epoch": (2, "Epoch AI publication date"),
    "openrouter": (3, "OpenRouter created"),
    "modelsdev": (4, "models.dev release_date"),
}

FIRST_SEEN_SQL = """
WITH snaps AS (
    SELECT source, snapshot_id, as_of, origin,
           lag(as_of) OVER (PARTITION BY source ORDER BY as_of, snapshot_id) AS previous_as_of
    FROM raw_snapshots WHERE status = 'applied'
), firsts AS (
    SELECT source, canonical_model_id, min(valid_from) AS first_seen_at,
           arg_min(opened_by_snapshot, valid_from) AS snapshot_id
    FROM price_intervals GROUP BY source, canonical_model_id
)
SELECT f.source, f.canonical_model_id, f.first_seen_at, s.previous_as_of AS not_listed_at,
       s.previous_as_of IS NULL OR f.first_seen_at <= s.previous_as_of AS left_censored,
       datediff('second', s.previous_as_of, f.first_seen_at) / 86400.0 AS bracket_days,
       f.snapshot_id, s.origin
FROM firsts f JOIN snaps s ON s.snapshot_id = f.snapshot_id AND s.source = f.source
"""


def _fact_candidates() -> str:
    cases = " ".join(f"WHEN '{source}' THEN {rank}" for source, (rank, _) in BASES.items())
    bases = " ".join(f"WHEN '{source}' THEN '{basis}'" for source, (_, basis) in BASES.items())
    names = ", ".join(f"'{source}'" for source in BASES if source != "openrouter")
    return f"""
    SELECT canonical_model_id, source, CASE source {cases} END AS rank, CASE source {bases} END AS basis,
           release_date, FALSE AS is_estimate
    FROM model_facts WHERE release_date IS NOT NULL AND source IN ({names})
    UNION ALL
    SELECT canonical_model_id, 'openrouter', {BASES["openrouter"][0]}, '{BASES["openrouter"][1]}',
           CAST(min(created_at) AS DATE), FALSE
    FROM observations WHERE source = 'openrouter' AND created_at IS NOT NULL GROUP BY canonical_model_id
    """  # noqa: S608 - module constants only


CANDIDATES_SQL = f"""
WITH first_seen AS ({FIRST_SEEN_SQL})
{_fact_candidates()}
UNION ALL
SELECT canonical_model_id, source, {FIRST_SEEN_RANK}, 'first seen in ' || source || ' price list (estimate)',
       CAST(first_seen_at AS DATE), TRUE
FROM first_seen WHERE NOT left_censored AND bracket_days <= {FIRST_SEEN_MAX_BRACKET_DAYS}
"""  # noqa: S608 - module constants only

CHOSEN_SQL = f"""
SELECT canonical_model_id, arg_min(release_date, (rank, release_date)) AS release_date,
       arg_min(basis, (rank, release_date)) AS release_date_basis,
       arg_min(is_estimate, (rank, release_date)) AS release_date_is_estimate
FROM ({CANDIDATES_SQL}) GROUP BY canonical_model_id
"""  # noqa: S608 - module constants only


def first_seen_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per source and canonical model: when a price list first listed it, the snapshot that did, and whether
    that is a dated fact (the source's previous snapshot did not list it) or left-censored."""
    return conn.execute(FIRST_SEEN_SQL + " ORDER BY f.source, f.canonical_model_id").df()


def candidates_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every release-date candidate: canonical_model_id, source, rank, basis, release_date, is_estimate."""
    return conn.execute(CANDIDATES_SQL + " ORDER BY canonical_model_id, rank, release_date").df()


def chosen_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The chosen release date per model, with its basis and whether it is an estimate."""
    return conn.execute(CHOSEN_SQL + " ORDER BY canonical_model_id").df()


CURATED_ALIASES_SQL = """
SELECT DISTINCT i.model_id AS alias, i.canonical_model_id
FROM price_intervals i JOIN model_facts f ON f.canonical_model_id = i.canonical_model_id AND f.source = 'milestones'
WHERE i.source <> 'milestones' AND lower(i.model_id) <> i.canonical_model_id
"""


def curated_aliases_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Source ids the normaliser maps onto a curated model (alias, canonical_model_id): the labelled set on
    which the alias suggester's precision is measured."""
    return conn.execute(CURATED_ALIASES_SQL + " ORDER BY 2, 1").df()


def priced_models(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        str(r[0]) for r in conn.execute("SELECT DISTINCT canonical_model_id FROM price_intervals ORDER BY 1").fetchall()
    ]
