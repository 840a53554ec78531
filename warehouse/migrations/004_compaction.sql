-- tokentide warehouse, schema version 4: compaction, and read copies synced by change.

-- Bumped whenever a snapshot's stored rows are rewritten (reparse, a forced re-apply, compaction), so a
-- read copy can tell which snapshots' observations to copy again.
ALTER TABLE raw_snapshots ADD COLUMN revision BIGINT DEFAULT 0;
-- Observations of this snapshot folded into observation_folds (n_records still counts all of them).
ALTER TABLE raw_snapshots ADD COLUMN n_folded INTEGER DEFAULT 0;

-- Observations that only confirmed an unchanged price, folded: one row per price interval they confirm
-- (matched by source, model, provider, price hash and the interval's valid_from), with the first and last
-- snapshot that confirmed it and how many did. The raw snapshots themselves are kept; `tokentide reparse`
-- rebuilds every observation from them.
CREATE TABLE observation_folds (
    source              VARCHAR NOT NULL,
    model_id            VARCHAR NOT NULL,
    source_provider     VARCHAR NOT NULL,
    price_hash          VARCHAR NOT NULL,
    interval_valid_from TIMESTAMP NOT NULL,
    first_seen_at       TIMESTAMP NOT NULL,
    last_seen_at        TIMESTAMP NOT NULL,
    first_snapshot_id   BIGINT NOT NULL,
    last_snapshot_id    BIGINT NOT NULL,
    n_observations      BIGINT NOT NULL,
    PRIMARY KEY (source, model_id, source_provider, price_hash, interval_valid_from)
);
