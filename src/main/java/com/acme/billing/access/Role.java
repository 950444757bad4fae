package com.acme.billing.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an API key may do (SPEC 8). A {@link #CUSTOMER} key is bound to one user; the others act for any user. */
public enum Role {
    ADMIN, SERVICE, FINANCE, OPERATOR, CUSTOMER;

    /** The name as the command line, the API and the database spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String text) {
        return Arrays.stream(values()).filter(r -> r.id().equals(text)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
