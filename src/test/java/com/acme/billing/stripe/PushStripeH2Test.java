package com.acme.billing.stripe;

import com.acme.billing.support.TestDatabase;

class PushStripeH2Test extends PushStripeTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
