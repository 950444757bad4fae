-- The ingest's bulk load (PostgresEventStore, docs/decisions.md "PostgreSQL store: COPY straight into the months"):
-- the staged file goes into usage_events by COPY as it is, without file_id, which comes from this default, set by
-- the ingest just before that COPY and reset just after it (SET LOCAL billing.ingest_file_id, RESET). Anything else that inserts without a file_id
-- finds the setting unset and gets NULL, which NOT NULL refuses: the default serves that one COPY and nothing else.
ALTER TABLE usage_events ALTER COLUMN file_id SET DEFAULT (nullif(current_setting('billing.ingest_file_id', true), ''))::bigint;
