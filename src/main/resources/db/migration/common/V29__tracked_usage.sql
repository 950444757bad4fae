-- The tracked usage not moved into the event store yet, summed per month, user and metric: what MonthUsage adds
-- to the ingest's roll-up (usage/current, features/check, the limit alerts). Kept in the same transaction as the
-- rows of tracked_events it sums: added to by the track, subtracted from by the move (the events it marks moved),
-- deleted with the user by the GDPR erase. It replaces V28's index, through which a user's month was read one entry
-- per tracked event, so that a heavy user's every features/check cost as much as the user had tracked; here it is one
-- row per metric, and the table stays the size of the month's active users times the metrics
-- (docs/benchmarks.md, docs/decisions.md "Tracked usage summed as it is tracked").
CREATE TABLE tracked_usage (
    yyyymm   INTEGER     NOT NULL,
    user_id  VARCHAR(64) NOT NULL,
    metric   VARCHAR(64) NOT NULL,
    quantity BIGINT      NOT NULL,
    PRIMARY KEY (yyyymm, user_id, metric)
);
INSERT INTO tracked_usage (yyyymm, user_id, metric, quantity)
SELECT yyyymm, user_id, metric, SUM(quantity) FROM tracked_events WHERE moved_sha256 IS NULL GROUP BY yyyymm, user_id, metric;
DROP INDEX tracked_events_month_user_usage;
