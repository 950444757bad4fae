package com.acme.billing.stripe;

import com.acme.billing.support.TestDatabase;

class WebhookPostgresTest extends WebhookTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
