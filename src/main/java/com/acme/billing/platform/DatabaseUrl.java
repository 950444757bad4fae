package com.acme.billing.platform;

/** What a JDBC URL says about the billing database: the one rule by which every layer tells PostgreSQL from H2. */
public final class DatabaseUrl {

    private DatabaseUrl() {
    }

    /** True for PostgreSQL ({@code jdbc:postgresql:...}); the embedded H2 and anything else are not. */
    public static boolean isPostgres(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }
}
