-- GDPR erase (SPEC 11). Every pseudonym handed out, so that none is given twice. The old user id is kept
-- (pending_user_id) only while that user's erase is unfinished: a crash between the billing database and the
-- DuckDB event store, or before the reports are rendered again, is finished by running the same
-- `gdpr erase --user ID` again, which finds the row and goes on with the same pseudonym. The erase's last step
-- sets completed_at and clears pending_user_id: from then on nothing links the pseudonym to the old id here.
CREATE TABLE gdpr_erasures (
    pseudonym       VARCHAR(64) PRIMARY KEY,
    pending_user_id VARCHAR(64) UNIQUE,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at    TIMESTAMP WITH TIME ZONE
);
