-- The event store partitioned by month (issue 16, docs/scale-out.md, docs/decisions.md).
--
-- usage_events: PARTITION BY LIST (month), one partition a month named usage_events_<yyyymm>, created by the
-- ingest when a month first appears (PostgresEventStore.ensurePartitions: CREATE TABLE ... (LIKE usage_events)
-- and ATTACH PARTITION, which locks the parent in SHARE UPDATE EXCLUSIVE mode, so readers and writers of the
-- other months go on). The roll-up, the segment usage and every month filter scan one partition; BRIN on
-- file_id in every partition finds a file's rows. No key on event_id here: a partitioned table's key must
-- contain the partition column, and SPEC 2 dedupes by event_id across months.
--
-- usage_event_ids: the dedupe, one row per stored event (event_id, month), primary key on event_id,
-- hash-partitioned by event_id in 16 partitions so that each partition's B-tree and its vacuum stay small.
-- The month says in which partition of usage_events the stored event lies, so that classifying a
-- duplicate (identical or conflicting) compares with the stored row in that month's partition only.
-- Invariant: usage_event_ids holds exactly the event_ids of usage_events (the ingest and the GDPR erase
-- change both in one transaction).
--
-- The rows of an existing installation are carried over: rename, create, insert, drop.
DROP INDEX usage_events_file;
DROP INDEX usage_events_month;
ALTER TABLE usage_events RENAME TO usage_events_v3;
ALTER TABLE usage_events_v3 RENAME CONSTRAINT usage_events_pkey TO usage_events_v3_pkey;

CREATE TABLE usage_events (
    event_id VARCHAR(128) COLLATE "C" NOT NULL,
    ts_us    BIGINT       NOT NULL,
    month    INTEGER      NOT NULL,
    user_id  VARCHAR(64)  COLLATE "C" NOT NULL,
    metric   VARCHAR(64)  COLLATE "C" NOT NULL,
    quantity BIGINT       NOT NULL,
    file_id  BIGINT       NOT NULL,
    line     BIGINT       NOT NULL
) PARTITION BY LIST (month);
CREATE INDEX usage_events_file ON usage_events USING brin (file_id);

CREATE TABLE usage_event_ids (
    event_id VARCHAR(128) COLLATE "C" NOT NULL,
    month    INTEGER      NOT NULL
) PARTITION BY HASH (event_id);

DO $$
DECLARE
    r INTEGER;
    m INTEGER;
BEGIN
    FOR r IN 0..15 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF usage_event_ids FOR VALUES WITH (MODULUS 16, REMAINDER %s)',
                       'usage_event_ids_' || lpad(r::text, 2, '0'), r);
    END LOOP;
    FOR m IN SELECT DISTINCT month FROM usage_events_v3 ORDER BY 1 LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF usage_events FOR VALUES IN (%s)', 'usage_events_' || m, m);
    END LOOP;
END $$;

-- The old table's physical order is the order files were stored in: kept, for the BRIN on file_id.
INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, file_id, line)
SELECT event_id, ts_us, month, user_id, metric, quantity, file_id, line FROM usage_events_v3;
INSERT INTO usage_event_ids (event_id, month) SELECT event_id, month FROM usage_events_v3;
-- Built after the load: one sort per partition instead of ten million B-tree inserts.
ALTER TABLE usage_event_ids ADD PRIMARY KEY (event_id);

DROP TABLE usage_events_v3;
