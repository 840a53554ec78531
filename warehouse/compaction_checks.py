"""Invariants of compaction and provenance that `tokentide check` verifies (see compaction.py)."""

from __future__ import annotations

COMPACTION_CHECKS: dict[str, str] = {
    "every closed interval names an applied snapshot that closed it": """
        SELECT i.interval_id FROM price_intervals i
        LEFT JOIN raw_snapshots s ON s.snapshot_id = i.closed_by_snapshot AND s.status = 'applied'
        WHERE i.valid_to IS NOT NULL AND s.snapshot_id IS NULL""",
    "every interval's opening observation is kept (not folded)": """
        SELECT i.interval_id FROM price_intervals i JOIN raw_snapshots s ON s.snapshot_id = i.opened_by_snapshot
        WHERE coalesce(s.n_folded, 0) > 0 AND NOT EXISTS (SELECT 1 FROM observations o
            WHERE o.snapshot_id = i.opened_by_snapshot AND o.model_id = i.model_id
              AND o.source_provider = i.source_provider AND o.price_hash = i.price_hash)""",
    "every fold confirms an interval with the same price that holds its whole span": """
        SELECT f.source, f.model_id, f.source_provider, f.interval_valid_from FROM observation_folds f
        WHERE NOT EXISTS (SELECT 1 FROM price_intervals i WHERE i.source = f.source AND i.model_id = f.model_id
            AND i.source_provider = f.source_provider AND i.price_hash = f.price_hash
            AND i.valid_from = f.interval_valid_from AND f.first_seen_at >= i.valid_from
            AND (i.valid_to IS NULL OR f.last_seen_at < i.valid_to))""",
    "folded counts agree between folds and snapshots, per source": """
        SELECT source FROM (SELECT source, sum(n_observations) AS n FROM observation_folds GROUP BY source) f
        FULL JOIN (SELECT source, sum(n_folded) AS n FROM raw_snapshots WHERE n_folded > 0 GROUP BY source) s
        USING (source) WHERE coalesce(f.n, 0) <> coalesce(s.n, 0)""",
    "the newest applied snapshot of each source is never folded": """
        SELECT snapshot_id FROM (SELECT snapshot_id, n_folded, row_number() OVER (PARTITION BY source
            ORDER BY as_of DESC, snapshot_id DESC) AS rank FROM raw_snapshots WHERE status = 'applied')
        WHERE rank = 1 AND coalesce(n_folded, 0) > 0""",
    "folded snapshots keep their raw bytes": """
        SELECT snapshot_id FROM raw_snapshots WHERE coalesce(n_folded, 0) > 0
            AND (payload_gzip IS NULL OR octet_length(payload_gzip) = 0)""",
}
