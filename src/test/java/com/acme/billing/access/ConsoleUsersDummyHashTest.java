package com.acme.billing.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The written-out hash that unknown e-mails are checked against: bcrypt at the accounts' cost, of a phrase nobody signs in with. */
class ConsoleUsersDummyHashTest {

    @Test
    void isABcryptHashAtTheAccountsCost() {
        assertThat(ConsoleUsers.DUMMY_HASH).startsWith("$2a$" + ConsoleUsers.BCRYPT_COST + "$").hasSize(60);
        BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(ConsoleUsers.BCRYPT_COST);
        assertThat(encoder.matches("no account has this password", ConsoleUsers.DUMMY_HASH)).isTrue();
        assertThat(encoder.matches("", ConsoleUsers.DUMMY_HASH)).isFalse();
        assertThat(encoder.upgradeEncoding(ConsoleUsers.DUMMY_HASH)).isFalse();
    }
}
