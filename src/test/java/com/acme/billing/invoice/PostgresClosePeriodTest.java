package com.acme.billing.invoice;

import com.acme.billing.support.TestDatabase;

class PostgresClosePeriodTest extends ClosePeriodTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
