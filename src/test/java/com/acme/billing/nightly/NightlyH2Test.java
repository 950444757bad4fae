package com.acme.billing.nightly;

import com.acme.billing.support.TestDatabase;

class NightlyH2Test extends NightlyTest {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
