package com.acme.billing.console;

import com.acme.billing.access.Role;
import java.io.Serializable;

/** Who is signed in to the console: kept in the session, never the password. {@code userId} for customers only. */
public record ConsolePrincipal(String email, Role role, String userId) implements Serializable {

    public boolean customer() {
        return role == Role.CUSTOMER;
    }

    /** The page a role lands on after sign-in and at {@code /} (SPEC 12). */
    public String home() {
        return switch (role) {
            case CUSTOMER -> "/console/billing";
            case FINANCE -> "/console/finance";
            case OPERATOR, ADMIN -> "/console/ops";
            case SERVICE -> "/pricing";
        };
    }

    @Override
    public String toString() {
        return email + " (" + role.id() + ")";
    }
}
