package com.acme.billing.ingest;

import com.acme.billing.support.TestDatabase;

/** The ingest command on PostgreSQL (billing state and events), as in production. */
class PostgresIngestCommandTest extends IngestCommandTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
