package com.acme.billing.stripe;

import com.acme.billing.support.TestDatabase;

class PushStripePostgresTest extends PushStripeTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
