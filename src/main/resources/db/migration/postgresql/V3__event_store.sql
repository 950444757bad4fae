-- The event store on PostgreSQL (production). The embedded default keeps these tables in DuckDB
-- (see DuckDbEventStore), with the same columns.
-- ts_us: event instant in epoch microseconds (UTC); month: yyyymm of that instant.
CREATE TABLE usage_events (
    event_id VARCHAR(128) NOT NULL PRIMARY KEY,
    ts_us    BIGINT       NOT NULL,
    month    INTEGER      NOT NULL,
    user_id  VARCHAR(64)  NOT NULL,
    metric   VARCHAR(64)  NOT NULL,
    quantity BIGINT       NOT NULL,
    file_id  BIGINT       NOT NULL,
    line     BIGINT       NOT NULL
);
CREATE INDEX usage_events_file ON usage_events (file_id);
CREATE INDEX usage_events_month_user ON usage_events (month, user_id);

-- Parsed lines of files being ingested; emptied when a run completes. UNLOGGED: it is rebuilt
-- from the file after a crash anyway.
CREATE UNLOGGED TABLE staged_events (
    file_id  BIGINT       NOT NULL,
    line     BIGINT       NOT NULL,
    event_id VARCHAR(128) NOT NULL,
    ts_us    BIGINT       NOT NULL,
    month    INTEGER      NOT NULL,
    user_id  VARCHAR(64)  NOT NULL,
    metric   VARCHAR(64)  NOT NULL,
    quantity BIGINT       NOT NULL
);

CREATE UNLOGGED TABLE staged_rejects (
    file_id BIGINT      NOT NULL,
    line    BIGINT      NOT NULL,
    reason  VARCHAR(64) NOT NULL,
    raw     TEXT        NOT NULL
);
CREATE INDEX staged_rejects_file_line ON staged_rejects (file_id, line);
