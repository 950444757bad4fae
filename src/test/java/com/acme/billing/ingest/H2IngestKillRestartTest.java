package com.acme.billing.ingest;

import com.acme.billing.support.TestDatabase;

class H2IngestKillRestartTest extends IngestKillRestartTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
