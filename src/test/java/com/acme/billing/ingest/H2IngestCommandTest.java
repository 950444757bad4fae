package com.acme.billing.ingest;

import com.acme.billing.support.TestDatabase;

/** The ingest command on the embedded default: H2 for billing state, DuckDB for events. */
class H2IngestCommandTest extends IngestCommandTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
