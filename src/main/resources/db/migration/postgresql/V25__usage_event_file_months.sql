-- The months each stored file's events fall in (PostgresEventStore.monthsOf; docs/decisions.md "PostgreSQL store:
-- the months of a stored file"). The roll-up and the limit alerts of an ingest ask which months the run's files
-- touched; the answer was read off usage_events (every partition's BRIN on file_id, then every row of those files
-- read again), twice per ingest. The store writes these rows in the transaction that stores the file's events.
-- Invariant: every (file_id, month) of usage_events has its row here (a row may outlive its events, after a GDPR
-- erase: the roll-up then recomputes a month that did not change, which gives the same totals).
CREATE TABLE usage_event_file_months (
    file_id BIGINT  NOT NULL,
    month   INTEGER NOT NULL,
    PRIMARY KEY (file_id, month)
);
-- An installation's stored files, once, so that a run stored before this migration and rolled up after it finds
-- its months.
INSERT INTO usage_event_file_months (file_id, month) SELECT DISTINCT file_id, month FROM usage_events;
