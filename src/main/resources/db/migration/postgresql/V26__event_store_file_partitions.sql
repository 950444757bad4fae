-- Each month's partition of usage_events becomes partitioned by file_id (PostgresEventStore, AllNewEventsLoad;
-- docs/decisions.md "PostgreSQL store: a file's events attached, not inserted"). The ingest writes a file's events
-- into tables of their own on a second connection while the step's connection writes their ids, and the step's
-- transaction then attaches those tables as the file's partitions of its months (usage_events_<yyyymm>_<file_id>):
-- the two writes of every row at once, on two server processes, with one commit deciding both.
--
-- The rows stored before this migration stay where they are: each month's former partition becomes its one partition
-- for the files it holds (usage_events_<yyyymm>_v25, FOR VALUES IN the file ids it holds), checked by one scan here.
-- A month with no rows loses its empty table. Later files get tables of their own.
DO $$
DECLARE
    m INTEGER;
    files TEXT;
    old TEXT;
BEGIN
    FOR m IN SELECT substr(c.relname, 14)::int FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'usage_events'::regclass ORDER BY 1 LOOP
        old := 'usage_events_' || m || '_v25';
        EXECUTE format('ALTER TABLE usage_events DETACH PARTITION %I', 'usage_events_' || m);
        EXECUTE format('ALTER TABLE %I RENAME TO %I', 'usage_events_' || m, old);
        EXECUTE format('CREATE TABLE %I (LIKE usage_events) PARTITION BY LIST (file_id)', 'usage_events_' || m);
        EXECUTE format('SELECT string_agg(DISTINCT file_id::text, '', '') FROM %I', old) INTO files;
        IF files IS NULL THEN
            EXECUTE format('DROP TABLE %I', old);
        ELSE
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES IN (%s)', 'usage_events_' || m, old, files);
        END IF;
        EXECUTE format('ALTER TABLE usage_events ATTACH PARTITION %I FOR VALUES IN (%s)', 'usage_events_' || m, m);
    END LOOP;
END $$;

-- V24's default served the COPY into usage_events, which no longer happens: the load's tables have their own. Without
-- it, a row without its file finds no partition, as it found NOT NULL before.
ALTER TABLE usage_events ALTER COLUMN file_id DROP DEFAULT;
