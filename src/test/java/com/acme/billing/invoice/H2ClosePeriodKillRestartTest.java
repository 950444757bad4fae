package com.acme.billing.invoice;

import com.acme.billing.support.TestDatabase;

class H2ClosePeriodKillRestartTest extends ClosePeriodKillRestartTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
