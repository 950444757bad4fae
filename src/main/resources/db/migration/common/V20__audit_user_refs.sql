-- The audit log never holds a user id: its rows are append-only (hash-chained) and a user may be erased
-- (SPEC 11). A row about a user names a random reference instead; this table, an ordinary kept record,
-- says whose it is, and an erase puts the pseudonym in its user_id like everywhere else.
CREATE TABLE audit_user_refs (
    ref        VARCHAR(16) PRIMARY KEY,
    user_id    VARCHAR(64) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT audit_user_refs_user UNIQUE (user_id)
);
