-- A user's month of tracked usage not moved yet (usage/current, features/check, and serve's limit watch after
-- tracks: MonthUsage) is a sum of metric and quantity over (yyyymm, user_id, moved_sha256 IS NULL). With those
-- columns in the index the sum is read from the index alone; through (yyyymm, user_id) every row was looked up
-- again in the table, and under tracking load the limit watch spent most of its time there (docs/benchmarks.md).
CREATE INDEX tracked_events_month_user_usage ON tracked_events (yyyymm, user_id, moved_sha256, metric, quantity);
DROP INDEX tracked_events_month_user;
