-- Who is computing a cache key right now, so a second run with the same key waits and reuses
-- the result instead of doing the work twice.
CREATE TABLE cache_claims (
    cache_key   TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,
    claimed_at  BIGINT  NOT NULL
);
