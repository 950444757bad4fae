package com.acme.billing.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.access.ActingFor.Outcome;
import com.acme.billing.user.UserId;
import org.junit.jupiter.api.Test;

class ActingForTest {

    @Test
    void aCustomerActsForItsOwnUserNamedOrNotAndForNoOther() {
        assertThat(ActingFor.resolve(Role.CUSTOMER, "alice", null)).isEqualTo(new ActingFor(Outcome.OWN_USER, UserId.parse("alice"), null));
        assertThat(ActingFor.resolve(Role.CUSTOMER, "alice", "alice")).isEqualTo(new ActingFor(Outcome.OWN_USER, UserId.parse("alice"), null));
        assertThat(ActingFor.resolve(Role.CUSTOMER, "alice", "bob")).isEqualTo(new ActingFor(Outcome.OTHER_USER_REFUSED, null, null));
        // Not even a blank name means "my own user": only leaving it out does.
        assertThat(ActingFor.resolve(Role.CUSTOMER, "alice", "")).isEqualTo(new ActingFor(Outcome.OTHER_USER_REFUSED, null, null));
    }

    @Test
    void everyOtherRoleNamesAValidUser() {
        for (Role role : new Role[] {Role.ADMIN, Role.SERVICE, Role.FINANCE, Role.OPERATOR}) {
            assertThat(ActingFor.resolve(role, null, "bob")).isEqualTo(new ActingFor(Outcome.NAMED_USER, UserId.parse("bob"), null));
            assertThat(ActingFor.resolve(role, null, null)).isEqualTo(new ActingFor(Outcome.NO_USER_NAMED, null, null));
            assertThat(ActingFor.resolve(role, null, " ")).isEqualTo(new ActingFor(Outcome.NO_USER_NAMED, null, null));
            ActingFor invalid = ActingFor.resolve(role, null, "bob smith");
            assertThat(invalid.outcome()).isEqualTo(Outcome.INVALID_USER);
            assertThat(invalid.user()).isNull();
            assertThat(invalid.problem()).isEqualTo(UserId.problem("bob smith").orElseThrow());
        }
    }
}
