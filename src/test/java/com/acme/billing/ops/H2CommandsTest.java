package com.acme.billing.ops;

import com.acme.billing.support.TestDatabase;

class H2CommandsTest extends CommandsTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
