-- The live half-life estimate as it stood each day, so the history of the estimate can be plotted.
CREATE TABLE estimate_history (
    estimated_on     DATE NOT NULL,         -- the day the estimate was recorded (UTC)
    tier             VARCHAR NOT NULL,      -- all | economy | mid | flagship
    window_months    INTEGER NOT NULL,      -- 0 = all data; else a rolling window ending on estimated_on
    tier_rule        VARCHAR NOT NULL,
    method           VARCHAR NOT NULL,      -- ols | theil-sen
    ok               BOOLEAN NOT NULL,
    reason           VARCHAR,
    n                INTEGER NOT NULL,
    half_life_years  DOUBLE,
    ci_low_years     DOUBLE,
    ci_high_years    DOUBLE,                -- NULL when unbounded (no significant decline)
    r2               DOUBLE,
    slope_per_year   DOUBLE,
    significant      BOOLEAN,
    data_as_of       TIMESTAMP,             -- newest price data the estimate saw
    recorded_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (estimated_on, tier, window_months, tier_rule, method)
);
