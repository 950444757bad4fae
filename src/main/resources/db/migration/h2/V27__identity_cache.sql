-- H2 hands out an identity column's values from a cache of 32 by default, and each time the cache runs
-- out it records the sequence's new value in its own system transaction, a commit that (WRITE_DELAY=0)
-- writes every changed page of the store to the file, the running transaction's pages included. A batch
-- of 500 tracked events made 16 such writes besides its own commit; a roll-up of 300,000 usage rows,
-- 9,000. 10,000 values at a time: the values still rise in the order the rows are inserted; a process killed
-- leaves a gap in the ids, nothing else (no id is read as a count). PostgreSQL's sequences commit nothing of
-- their own, so this is H2's alone (docs/decisions.md "H2: identity values 10,000 at a time").
ALTER TABLE feature_access ALTER COLUMN id SET CACHE 10000;
ALTER TABLE subscription_changes ALTER COLUMN id SET CACHE 10000;
ALTER TABLE subscriptions ALTER COLUMN id SET CACHE 10000;
ALTER TABLE usage_metrics ALTER COLUMN id SET CACHE 10000;
ALTER TABLE ingest_runs ALTER COLUMN run_id SET CACHE 10000;
ALTER TABLE event_files ALTER COLUMN file_id SET CACHE 10000;
ALTER TABLE ingest_run_files ALTER COLUMN id SET CACHE 10000;
ALTER TABLE alerts ALTER COLUMN id SET CACHE 10000;
ALTER TABLE alert_deliveries ALTER COLUMN id SET CACHE 10000;
ALTER TABLE tracked_events ALTER COLUMN seq SET CACHE 10000;
ALTER TABLE api_keys ALTER COLUMN key_id SET CACHE 10000;
ALTER TABLE console_users ALTER COLUMN console_user_id SET CACHE 10000;
