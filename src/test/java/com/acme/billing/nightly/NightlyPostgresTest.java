package com.acme.billing.nightly;

import com.acme.billing.support.TestDatabase;

class NightlyPostgresTest extends NightlyTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
