-- Analytics (SPEC 9, issue 13). A period's rows are replaced whole by each analytics run: they are
-- figures derived from the invoices, subscriptions and usage, not money records of their own.
CREATE TABLE analytics_figures (
    period  VARCHAR(7)   NOT NULL,
    row_no  INTEGER      NOT NULL,
    metric  VARCHAR(128) NOT NULL,
    tier    VARCHAR(64)  NOT NULL,
    figure  VARCHAR(64)  NOT NULL,   -- as written to analytics.csv; empty for a ratio over zero
    PRIMARY KEY (period, row_no)
);

CREATE TABLE analytics_cohorts (
    period        VARCHAR(7)  NOT NULL,   -- the run's month: cohorts up to and including it
    cohort        VARCHAR(7)  NOT NULL,
    months_since  INTEGER     NOT NULL,
    users         BIGINT      NOT NULL,
    paying        BIGINT      NOT NULL,
    share_paying  VARCHAR(16) NOT NULL,
    mrr           VARCHAR(32) NOT NULL,
    net_revenue_retention VARCHAR(16) NOT NULL,
    PRIMARY KEY (period, cohort, months_since)
);

-- import-costs: CSV month,channel,amount. A later file's row for the same month and channel replaces it.
CREATE TABLE acquisition_costs (
    period      VARCHAR(7)     NOT NULL,
    channel     VARCHAR(128)   NOT NULL,
    amount      NUMERIC(19, 6) NOT NULL,
    source      VARCHAR(1000)  NOT NULL,
    imported_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (period, channel)
);
