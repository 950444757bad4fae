package com.acme.billing.report;

import com.acme.billing.support.TestDatabase;

class ReportsPostgresTest extends ReportsTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
