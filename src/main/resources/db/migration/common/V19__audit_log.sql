-- The audit log of operators' and admins' actions (SPEC 11): who (actor_kind cli/console/api and a name), when
-- (written_at: the machine's clock; billing_now: the fixed business clock where the process had BILLING_NOW), what
-- (action, subject, details as a JSON object of strings) and the outcome (ok / refused / failed, reason, execution).
-- Rows are numbered 1, 2, 3 ... without gaps and chain SHA-256 hashes (prev_hash is the hash of row seq - 1;
-- see com.acme.billing.audit.AuditChain). Written only by AuditLog.append; never updated or deleted.
CREATE TABLE audit_log (
    seq          BIGINT        NOT NULL PRIMARY KEY,
    written_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    billing_now  TIMESTAMP(6) WITH TIME ZONE,
    actor_kind   VARCHAR(16)   NOT NULL,
    actor        VARCHAR(320)  NOT NULL,
    action       VARCHAR(64)   NOT NULL,
    subject      VARCHAR(200)  NOT NULL,
    outcome      VARCHAR(16)   NOT NULL,
    reason       VARCHAR(1000),
    execution_id BIGINT,
    details      VARCHAR(8000),
    prev_hash    VARCHAR(64)   NOT NULL,
    hash         VARCHAR(64)   NOT NULL
);

-- Which row links to which (audit verify tells rows put out of order from edited ones).
CREATE INDEX audit_log_hash ON audit_log (hash);

-- The one row every append locks (SELECT ... FOR UPDATE) and moves on in the same transaction: appends from several
-- processes (serve beside the command line) take turns, numbers stay contiguous, and the count and last hash held
-- here reveal the deletion of the last rows, which the chain alone cannot.
CREATE TABLE audit_head (
    id   INTEGER     NOT NULL PRIMARY KEY,
    seq  BIGINT      NOT NULL,
    hash VARCHAR(64) NOT NULL,
    CONSTRAINT audit_head_one_row CHECK (id = 1)
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
