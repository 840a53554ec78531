-- tokentide warehouse, schema version 1. All timestamps are naive UTC.
CREATE SEQUENCE snapshot_id_seq START 1;
CREATE SEQUENCE interval_id_seq START 1;
CREATE SEQUENCE run_id_seq START 1;

-- Every payload, verbatim (gzip of the exact bytes), with provenance. Never deleted.
CREATE TABLE raw_snapshots (
    snapshot_id    BIGINT PRIMARY KEY DEFAULT nextval('snapshot_id_seq'),
    source         VARCHAR NOT NULL,
    origin         VARCHAR NOT NULL,          -- URL or file name
    fetched_at     TIMESTAMP NOT NULL,        -- when tokentide read the bytes
    as_of          TIMESTAMP NOT NULL,        -- when the data was current
    as_of_basis    VARCHAR NOT NULL,          -- how as_of was decided
    sha256         VARCHAR NOT NULL,          -- of the uncompressed payload
    byte_size      BIGINT NOT NULL,
    http_status    INTEGER,
    payload_gzip   BLOB NOT NULL,
    parser_version VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,          -- applied | guarded | failed
    status_reason  VARCHAR,
    n_read         INTEGER,
    n_records      INTEGER,
    n_quarantined  INTEGER
);

-- One row per model x serving provider x snapshot, typed. Prices: USD; NULL = unknown, 0 = free.
CREATE TABLE observations (
    snapshot_id             BIGINT NOT NULL,
    source                  VARCHAR NOT NULL,
    model_id                VARCHAR NOT NULL,  -- as the source names it
    source_provider         VARCHAR NOT NULL,  -- serving provider as the source names it (part of the key)
    provider                VARCHAR NOT NULL,  -- serving provider, normalised for filters
    canonical_model_id      VARCHAR NOT NULL,
    author                  VARCHAR,           -- model maker, normalised
    model_name              VARCHAR,
    observed_at             TIMESTAMP NOT NULL,  -- snapshot as_of, or a history row's effective date
    effective_to            TIMESTAMP,           -- history rows with an explicit end
    usd_per_mtok_input      DECIMAL(24, 9),
    usd_per_mtok_output     DECIMAL(24, 9),
    usd_per_mtok_cache_read DECIMAL(24, 9),
    usd_per_mtok_cache_write DECIMAL(24, 9),
    usd_per_mtok_reasoning  DECIMAL(24, 9),
    usd_per_request         DECIMAL(24, 9),
    usd_per_image           DECIMAL(24, 9),
    price_state             VARCHAR NOT NULL,  -- free | paid | unknown
    price_hash              VARCHAR NOT NULL,
    original_currency       VARCHAR NOT NULL,
    original_unit           VARCHAR NOT NULL,
    context_length          BIGINT,
    is_reasoning            BOOLEAN,
    is_open_weights         BOOLEAN,
    created_at              TIMESTAMP,
    release_date            DATE,
    source_url              VARCHAR,
    extra                   VARCHAR
);

-- SCD-2 price intervals: valid_from inclusive, valid_to exclusive, NULL = still current.
CREATE TABLE price_intervals (
    interval_id             BIGINT NOT NULL DEFAULT nextval('interval_id_seq'),
    source                  VARCHAR NOT NULL,
    model_id                VARCHAR NOT NULL,
    source_provider         VARCHAR NOT NULL,
    provider                VARCHAR NOT NULL,
    canonical_model_id      VARCHAR NOT NULL,
    author                  VARCHAR,
    valid_from              TIMESTAMP NOT NULL,
    valid_to                TIMESTAMP,
    usd_per_mtok_input      DECIMAL(24, 9),
    usd_per_mtok_output     DECIMAL(24, 9),
    usd_per_mtok_cache_read DECIMAL(24, 9),
    usd_per_mtok_cache_write DECIMAL(24, 9),
    usd_per_mtok_reasoning  DECIMAL(24, 9),
    usd_per_request         DECIMAL(24, 9),
    usd_per_image           DECIMAL(24, 9),
    price_state             VARCHAR NOT NULL,
    price_hash              VARCHAR NOT NULL,
    opened_by_snapshot      BIGINT NOT NULL,
    closed_by_snapshot      BIGINT,
    close_reason            VARCHAR,           -- changed | delisted | ended
    source_url              VARCHAR
);

CREATE TABLE quarantine (
    snapshot_id  BIGINT NOT NULL,
    source       VARCHAR NOT NULL,
    record_key   VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    raw_value    VARCHAR,
    record_json  VARCHAR,
    quarantined_at TIMESTAMP NOT NULL
);

-- What each source says about a model (latest statement per source wins).
CREATE TABLE model_facts (
    source             VARCHAR NOT NULL,
    canonical_model_id VARCHAR NOT NULL,
    model_id           VARCHAR NOT NULL,
    snapshot_id        BIGINT NOT NULL,
    model_name         VARCHAR,
    author             VARCHAR,
    author_country     VARCHAR,
    family             VARCHAR,
    tier               VARCHAR,
    release_date       DATE,
    is_reasoning       BOOLEAN,
    is_open_weights    BOOLEAN,
    source_url         VARCHAR,
    PRIMARY KEY (source, canonical_model_id)
);

CREATE TABLE runs (
    run_id            BIGINT PRIMARY KEY DEFAULT nextval('run_id_seq'),
    kind              VARCHAR NOT NULL,        -- ingest | collect | reparse | default
    source            VARCHAR NOT NULL,
    origin            VARCHAR,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    status            VARCHAR NOT NULL,        -- running | ok | unchanged | guarded | failed
    snapshot_id       BIGINT,
    rows_read         INTEGER,
    rows_added        INTEGER,
    intervals_opened  INTEGER,
    intervals_closed  INTEGER,
    rows_quarantined  INTEGER,
    error             VARCHAR
);


-- Curated reference tables, re-synced from warehouse/reference/*.csv by every writer.
CREATE TABLE ref_authors (
    author       VARCHAR PRIMARY KEY,
    display_name VARCHAR,
    country      VARCHAR,
    source_url   VARCHAR
);

CREATE TABLE ref_providers (
    provider           VARCHAR PRIMARY KEY,
    display_name       VARCHAR,
    first_party_author VARCHAR,
    country            VARCHAR,
    source_url         VARCHAR
);
