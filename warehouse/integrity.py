"""Integrity checks over the whole warehouse: what `tokentide check` runs after a crash or an upgrade."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from tokentide.warehouse.compaction_checks import COMPACTION_CHECKS

# Each check is a query returning the offending rows (at most a few shown); zero rows means it holds.
CHECKS: dict[str, str] = {
    "every interval has an applied raw snapshot": """
        SELECT i.interval_id FROM price_intervals i
        LEFT JOIN raw_snapshots s ON s.snapshot_id = i.opened_by_snapshot AND s.status = 'applied'
        WHERE s.snapshot_id IS NULL""",
    "no overlapping intervals per model, provider and source": """
        SELECT a.interval_id, b.interval_id FROM price_intervals a JOIN price_intervals b
          ON a.source = b.source AND a.model_id = b.model_id AND a.source_provider = b.source_provider
         AND a.interval_id < b.interval_id
         AND a.valid_from < coalesce(b.valid_to, TIMESTAMP '9999-12-31')
         AND b.valid_from < coalesce(a.valid_to, TIMESTAMP '9999-12-31')""",
    "every interval ends after it starts": """
        SELECT interval_id FROM price_intervals WHERE valid_to IS NOT NULL AND valid_to <= valid_from""",
    "no unknown price stored as 0 (state agrees with prices)": """
        SELECT snapshot_id, model_id FROM observations WHERE
            (price_state = 'unknown' AND usd_per_mtok_input IS NOT NULL AND usd_per_mtok_output IS NOT NULL)
         OR (price_state = 'free' AND NOT (usd_per_mtok_input = 0 AND usd_per_mtok_output = 0))
         OR (price_state = 'paid' AND (usd_per_mtok_input IS NULL OR usd_per_mtok_output IS NULL
             OR (usd_per_mtok_input = 0 AND usd_per_mtok_output = 0)))""",
    "no negative or absurd price loaded": """
        SELECT snapshot_id, model_id FROM observations WHERE
            least(usd_per_mtok_input, usd_per_mtok_output, usd_per_mtok_cache_read, usd_per_mtok_cache_write,
                  usd_per_mtok_reasoning) < 0
         OR greatest(usd_per_mtok_input, usd_per_mtok_output, usd_per_mtok_cache_read,
                     usd_per_mtok_cache_write, usd_per_mtok_reasoning) > 10000""",
    "every applied snapshot holds all its records": """
        SELECT s.snapshot_id FROM raw_snapshots s
        LEFT JOIN (SELECT snapshot_id, count(*) AS n FROM (SELECT snapshot_id FROM observations
                   UNION ALL SELECT snapshot_id FROM benchmark_scores) GROUP BY ALL) o USING (snapshot_id)
        WHERE s.status = 'applied' AND coalesce(o.n, 0) + coalesce(s.n_folded, 0) <> coalesce(s.n_records, 0)""",
    **COMPACTION_CHECKS,
    "no observations or quarantine rows without a raw snapshot": """
        SELECT snapshot_id FROM (SELECT snapshot_id FROM observations UNION SELECT snapshot_id FROM quarantine)
        WHERE snapshot_id NOT IN (SELECT snapshot_id FROM raw_snapshots)""",
    "unapplied snapshots added no rows": """
        SELECT o.snapshot_id FROM observations o JOIN raw_snapshots s USING (snapshot_id)
        WHERE s.status <> 'applied'""",
    "every benchmark score has an applied raw snapshot with its sha256": """
        SELECT b.snapshot_id, b.model_id FROM benchmark_scores b
        LEFT JOIN raw_snapshots s ON s.snapshot_id = b.snapshot_id AND s.status = 'applied' AND s.sha256 = b.sha256
        WHERE s.snapshot_id IS NULL""",
}


@dataclass(frozen=True)
class CheckResult:
    name: str
    violations: int
    examples: list[tuple[object, ...]]

    @property
    def ok(self) -> bool:
        return self.violations == 0


def run_checks(conn: duckdb.DuckDBPyConnection, *, read_copy: bool = False) -> list[CheckResult]:
    """Every check on the warehouse file; on a read copy (read_copy=True) those it can answer, i.e. all
    but the checks over observation rows, which read copies leave out (warehouse/read_copy.py)."""
    results = []
    for name, sql in CHECKS.items():
        if read_copy and re.search(r"\bobservations\b", sql):
            continue
        rows = conn.execute(f"SELECT * FROM ({sql}) LIMIT 1000").fetchall()  # noqa: S608 - constant SQL
        results.append(CheckResult(name, len(rows), rows[:5]))
    return results
