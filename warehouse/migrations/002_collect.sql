-- tokentide warehouse, schema version 2: live collection.

-- HTTP cache validators of the last stored response per source URL, for conditional requests.
CREATE TABLE http_validators (
    source        VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR,                  -- of the body these validators belong to
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (source, url)
);

-- The price-change log, read from the price intervals. One row per event:
--   price_change   one price field of a (model, provider) moved between two adjacent intervals
--   free_to_paid / paid_to_free   the price state flipped (also listed field by field as price_change)
--   new_model      a (model, provider) first listed after the source's first snapshot
--   relisted       listed again after a gap
--   delisted       no longer listed by a later full snapshot
-- model_id is the id the source uses; first_seen_at is the as-of time of the snapshot that first
-- showed the change (snapshot_id); previous_snapshot_id is the snapshot that opened the old price.
-- pct_change is NULL when the old price is 0 or unknown; direction is up/down for moves and flips.
CREATE VIEW price_changes AS
WITH ordered AS (
    SELECT i.*,
           lag(interval_id) OVER (PARTITION BY source, model_id, source_provider
                                  ORDER BY valid_from, interval_id) AS prev_id,
           min(valid_from) OVER (PARTITION BY source) AS source_first_at
    FROM price_intervals i
), pairs AS (
    SELECT n.source, n.model_id, n.provider, n.source_provider, n.author, n.canonical_model_id,
           n.valid_from AS first_seen_at, n.opened_by_snapshot AS snapshot_id,
           p.opened_by_snapshot AS previous_snapshot_id, n.source_first_at,
           p.interval_id IS NOT NULL AS has_previous, coalesce(p.valid_to = n.valid_from, false) AS adjacent,
           p.price_state AS old_state, n.price_state AS new_state,
           p.usd_per_mtok_input AS old_usd_per_mtok_input, n.usd_per_mtok_input AS new_usd_per_mtok_input,
           p.usd_per_mtok_output AS old_usd_per_mtok_output, n.usd_per_mtok_output AS new_usd_per_mtok_output,
           p.usd_per_mtok_cache_read AS old_usd_per_mtok_cache_read, n.usd_per_mtok_cache_read AS new_usd_per_mtok_cache_read,
           p.usd_per_mtok_cache_write AS old_usd_per_mtok_cache_write, n.usd_per_mtok_cache_write AS new_usd_per_mtok_cache_write,
           p.usd_per_mtok_reasoning AS old_usd_per_mtok_reasoning, n.usd_per_mtok_reasoning AS new_usd_per_mtok_reasoning,
           p.usd_per_request AS old_usd_per_request, n.usd_per_request AS new_usd_per_request,
           p.usd_per_image AS old_usd_per_image, n.usd_per_image AS new_usd_per_image
    FROM ordered n LEFT JOIN price_intervals p ON p.interval_id = n.prev_id
), moves AS (
    SELECT *, 'usd_per_mtok_input' AS field, old_usd_per_mtok_input AS old_value, new_usd_per_mtok_input AS new_value FROM pairs
    WHERE adjacent AND old_usd_per_mtok_input IS DISTINCT FROM new_usd_per_mtok_input
    UNION ALL
    SELECT *, 'usd_per_mtok_output' AS field, old_usd_per_mtok_output AS old_value, new_usd_per_mtok_output AS new_value FROM pairs
    WHERE adjacent AND old_usd_per_mtok_output IS DISTINCT FROM new_usd_per_mtok_output
    UNION ALL
    SELECT *, 'usd_per_mtok_cache_read' AS field, old_usd_per_mtok_cache_read AS old_value, new_usd_per_mtok_cache_read AS new_value FROM pairs
    WHERE adjacent AND old_usd_per_mtok_cache_read IS DISTINCT FROM new_usd_per_mtok_cache_read
    UNION ALL
    SELECT *, 'usd_per_mtok_cache_write' AS field, old_usd_per_mtok_cache_write AS old_value, new_usd_per_mtok_cache_write AS new_value FROM pairs
    WHERE adjacent AND old_usd_per_mtok_cache_write IS DISTINCT FROM new_usd_per_mtok_cache_write
    UNION ALL
    SELECT *, 'usd_per_mtok_reasoning' AS field, old_usd_per_mtok_reasoning AS old_value, new_usd_per_mtok_reasoning AS new_value FROM pairs
    WHERE adjacent AND old_usd_per_mtok_reasoning IS DISTINCT FROM new_usd_per_mtok_reasoning
    UNION ALL
    SELECT *, 'usd_per_request' AS field, old_usd_per_request AS old_value, new_usd_per_request AS new_value FROM pairs
    WHERE adjacent AND old_usd_per_request IS DISTINCT FROM new_usd_per_request
    UNION ALL
    SELECT *, 'usd_per_image' AS field, old_usd_per_image AS old_value, new_usd_per_image AS new_value FROM pairs
    WHERE adjacent AND old_usd_per_image IS DISTINCT FROM new_usd_per_image
)
SELECT source, model_id, provider, source_provider, author, canonical_model_id, 'price_change' AS event, field, old_value, new_value,
       CASE WHEN old_value > 0 AND new_value IS NOT NULL
            THEN CAST((new_value - old_value) * 100 AS DOUBLE) / CAST(old_value AS DOUBLE) END AS pct_change,
       CASE WHEN new_value > old_value THEN 'up' WHEN new_value < old_value THEN 'down' END AS direction,
       old_state, new_state, first_seen_at, snapshot_id, previous_snapshot_id
FROM moves
UNION ALL
SELECT source, model_id, provider, source_provider, author, canonical_model_id, CASE WHEN old_state = 'free' THEN 'free_to_paid' ELSE 'paid_to_free' END, 'price_state',
       NULL, NULL, NULL, CASE WHEN old_state = 'free' THEN 'up' ELSE 'down' END,
       old_state, new_state, first_seen_at, snapshot_id, previous_snapshot_id
FROM pairs
WHERE adjacent AND ((old_state = 'free' AND new_state = 'paid') OR (old_state = 'paid' AND new_state = 'free'))
UNION ALL
SELECT source, model_id, provider, source_provider, author, canonical_model_id, CASE WHEN has_previous THEN 'relisted' ELSE 'new_model' END, NULL, NULL, NULL, NULL, NULL,
       old_state, new_state, first_seen_at, snapshot_id, previous_snapshot_id
FROM pairs
WHERE (NOT has_previous AND first_seen_at > source_first_at) OR (has_previous AND NOT adjacent)
UNION ALL
SELECT source, model_id, provider, source_provider, author, canonical_model_id, 'delisted', NULL, NULL, NULL, NULL, NULL, price_state, NULL, valid_to, closed_by_snapshot,
       opened_by_snapshot
FROM price_intervals
WHERE close_reason = 'delisted';
