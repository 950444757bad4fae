-- Pricing experiments (SPEC 9, issue 13). An experiment never changes once imported (its users may be
-- billed on its prices): the definition is kept whole, as canonical JSON.
CREATE TABLE experiments (
    experiment_id VARCHAR(64)   PRIMARY KEY,
    start_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    end_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    definition    TEXT          NOT NULL,
    source        VARCHAR(1000) NOT NULL,
    imported_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Who is in which variant, with the instant of exposure (the user's first subscription change). The
-- variant follows from the SHA-256 rule alone; the rows record it, and that it was applied.
CREATE TABLE experiment_assignments (
    experiment_id VARCHAR(64) NOT NULL REFERENCES experiments (experiment_id),
    user_id       VARCHAR(64) NOT NULL,
    variant       VARCHAR(64) NOT NULL,
    exposed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (experiment_id, user_id)
);
CREATE INDEX experiment_assignments_user ON experiment_assignments (user_id);
