package com.acme.billing.stripe;

import com.acme.billing.support.TestDatabase;

class WebhookH2Test extends WebhookTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
