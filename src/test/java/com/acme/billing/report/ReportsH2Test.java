package com.acme.billing.report;

import com.acme.billing.support.TestDatabase;

class ReportsH2Test extends ReportsTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
