package com.acme.billing.stripe;

import com.acme.billing.support.TestDatabase;

class PushKillRestartPostgresTest extends PushKillRestartTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
