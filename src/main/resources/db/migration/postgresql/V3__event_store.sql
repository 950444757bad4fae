-- The event store on PostgreSQL (production). The embedded default keeps this table in DuckDB
-- (see DuckDbEventStore), with the same columns.
-- Staging happens in files under BILLING_HOME/staging, bulk-loaded by COPY (see StagingFiles).
-- COLLATE "C": ids compare as bytes, which made sorting and indexing ten million random ids 35%
-- faster than the database's linguistic collation (docs/benchmarks.md).
-- ts_us: event instant in epoch microseconds (UTC); month: yyyymm of that instant.
CREATE TABLE usage_events (
    event_id VARCHAR(128) COLLATE "C" NOT NULL PRIMARY KEY,
    ts_us    BIGINT       NOT NULL,
    month    INTEGER      NOT NULL,
    user_id  VARCHAR(64)  COLLATE "C" NOT NULL,
    metric   VARCHAR(64)  COLLATE "C" NOT NULL,
    quantity BIGINT       NOT NULL,
    file_id  BIGINT       NOT NULL,
    line     BIGINT       NOT NULL
);
-- Rows are appended file after file, so file_id and month follow the physical order: BRIN indexes
-- find a file's or a month's rows at almost no cost to the insert (a B-tree each doubled it).
CREATE INDEX usage_events_file ON usage_events USING brin (file_id);
CREATE INDEX usage_events_month ON usage_events USING brin (month);
