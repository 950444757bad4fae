-- Usage per user, metric and day of a period, copied from the event store by the reports job for the
-- statements' and the finance report's charts (the event store may be another database).
CREATE TABLE report_daily_usage (
    period   VARCHAR(7)  NOT NULL,
    user_id  VARCHAR(64) NOT NULL,
    metric   VARCHAR(64) NOT NULL,
    day_of_month INTEGER NOT NULL,
    quantity BIGINT      NOT NULL,
    PRIMARY KEY (period, user_id, metric, day_of_month)
);
