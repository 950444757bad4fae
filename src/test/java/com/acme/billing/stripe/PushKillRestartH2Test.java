package com.acme.billing.stripe;

import com.acme.billing.support.TestDatabase;

class PushKillRestartH2Test extends PushKillRestartTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
