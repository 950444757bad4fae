-- When the reports job last copied a period's usage by day from the event store (report_daily_usage):
-- the console's usage-by-day chart adds the events tracked online that are not in the event store yet,
-- and says how old the copy of the log files' usage is.
CREATE TABLE report_daily_copies (
    period    VARCHAR(7) PRIMARY KEY,
    copied_at TIMESTAMP WITH TIME ZONE NOT NULL
);
