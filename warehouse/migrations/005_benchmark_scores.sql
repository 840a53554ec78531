-- Benchmark scores from score sources (Epoch AI, Artificial Analysis), typed from their raw snapshots.
-- Current scores: per source, model, benchmark and release date, the newest applied snapshot's row.
CREATE TABLE benchmark_scores (
    snapshot_id          BIGINT NOT NULL,        -- raw_snapshots row the score was parsed from
    source               VARCHAR NOT NULL,       -- epoch-benchmarks | artificial-analysis
    model_id             VARCHAR NOT NULL,       -- as the source names the model
    canonical_model_id   VARCHAR NOT NULL,       -- matched through the alias table, else the id normaliser
    model_name           VARCHAR,
    author               VARCHAR,                -- model maker, normalised
    benchmark            VARCHAR NOT NULL,       -- e.g. 'GPQA Diamond', 'MMLU', 'AA Intelligence Index'
    score                DOUBLE NOT NULL,        -- the benchmark's scale: percent 0-100, Elo, index points
    release_date         DATE,
    usd_per_mtok_blended DECIMAL(24, 9),         -- the price the source lists beside the score (3:1 blend); NULL = none
    is_reasoning         BOOLEAN,
    source_url           VARCHAR NOT NULL,       -- the row's own URL, else the snapshot's origin
    captured_at          TIMESTAMP NOT NULL,     -- when tokentide read the bytes (raw_snapshots.fetched_at)
    sha256               VARCHAR NOT NULL        -- of the raw snapshot's bytes
);
CREATE INDEX benchmark_scores_snapshot ON benchmark_scores (snapshot_id);
