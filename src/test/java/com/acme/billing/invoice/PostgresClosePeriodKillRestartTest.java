package com.acme.billing.invoice;

import com.acme.billing.support.TestDatabase;

class PostgresClosePeriodKillRestartTest extends ClosePeriodKillRestartTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
