-- Rating and invoices (SPEC 5). Finalized rows never change: corrections are new adjustment invoices.

-- The state of a period: open until finalize, then finalized with the catalog version it was billed
-- with (a later catalog version applies only to periods not finalized yet).
CREATE TABLE billing_periods (
    period          VARCHAR(7) PRIMARY KEY,
    status          VARCHAR(16) NOT NULL,
    catalog_version INTEGER,
    finalized_at    TIMESTAMP WITH TIME ZONE
);

-- kind: original (INV-P-user) or adjustment (INV-P-user-A<n>, adjustment_no n); status: draft or finalized.
CREATE TABLE invoices (
    invoice_id      VARCHAR(128) PRIMARY KEY,
    user_id         VARCHAR(64)  NOT NULL,
    period          VARCHAR(7)   NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    adjustment_no   INTEGER      NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    catalog_version INTEGER      NOT NULL,
    currency        VARCHAR(3)   NOT NULL,
    total           NUMERIC(19, 6) NOT NULL,
    line_count      INTEGER      NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    finalized_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX invoices_period_user ON invoices (period, user_id);

-- line_key names "the same line" across reruns (type, tier, metric, segment); line_id, derived from
-- the invoice and the key, is the same on every rerun and is the Stripe idempotency key.
CREATE TABLE invoice_lines (
    line_id      VARCHAR(300)  PRIMARY KEY,
    invoice_id   VARCHAR(128)  NOT NULL REFERENCES invoices (invoice_id),
    user_id      VARCHAR(64)   NOT NULL,
    period       VARCHAR(7)    NOT NULL,
    line_type    VARCHAR(16)   NOT NULL,
    line_key     VARCHAR(300)  NOT NULL,
    tier         VARCHAR(64)   NOT NULL,
    metric       VARCHAR(64),
    description  VARCHAR(1000) NOT NULL,
    quantity     NUMERIC(19, 6) NOT NULL,
    unit_price   NUMERIC(19, 6),
    amount       NUMERIC(19, 6) NOT NULL,
    currency     VARCHAR(3)    NOT NULL,
    period_start TIMESTAMP WITH TIME ZONE NOT NULL,
    period_end   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id);
CREATE INDEX invoice_lines_period_user ON invoice_lines (period, user_id);

-- Usage against limits per user, metric and tier of a period, as the last close-period computed it.
CREATE TABLE usage_summaries (
    period           VARCHAR(7)  NOT NULL,
    user_id          VARCHAR(64) NOT NULL,
    metric           VARCHAR(64) NOT NULL,
    tier             VARCHAR(64) NOT NULL,
    quantity         BIGINT      NOT NULL,
    included         BIGINT      NOT NULL,
    overage_quantity BIGINT      NOT NULL,
    limit_breached   BOOLEAN     NOT NULL,
    PRIMARY KEY (period, user_id, metric, tier)
);

-- Scratch input of the rating step, rebuilt by each close-period run: every segment of every user of
-- the period (rating_segments) and the usage of each metric in it (rating_usage). Streamed in, never
-- held whole in memory.
CREATE TABLE rating_segments (
    period    VARCHAR(7)  NOT NULL,
    user_id   VARCHAR(64) NOT NULL,
    seg_no    INTEGER     NOT NULL,
    seg_start TIMESTAMP WITH TIME ZONE NOT NULL,
    seg_end   TIMESTAMP WITH TIME ZONE NOT NULL,
    status    VARCHAR(8)  NOT NULL,
    tier      VARCHAR(64),
    PRIMARY KEY (period, user_id, seg_no)
);

CREATE TABLE rating_usage (
    period   VARCHAR(7)  NOT NULL,
    user_id  VARCHAR(64) NOT NULL,
    seg_no   INTEGER     NOT NULL,
    metric   VARCHAR(64) NOT NULL,
    quantity BIGINT      NOT NULL,
    PRIMARY KEY (period, user_id, seg_no, metric)
);
