package com.acme.billing.ops;

import com.acme.billing.support.TestDatabase;

class PostgresCommandsTest extends CommandsTest {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
