package com.acme.billing.ingest;

import com.acme.billing.support.TestDatabase;

class PostgresIngestKillRestartTest extends IngestKillRestartTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
