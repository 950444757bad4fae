package com.acme.billing.gdpr;

import java.util.ArrayList;
import java.util.List;

/**
 * Every table of the billing database with a user id column, as the holders name them: what a test (or an
 * auditor) checks for a user id left behind after an erase. Spring Batch's tables are not listed: no job
 * takes a user id as a parameter, and close-period's restart bookmark (the last user of a chunk) is
 * handled by {@link JobBookmarks}.
 */
public final class GdprTables {

    /** Table and column. */
    public record UserColumn(String table, String column) {
    }

    public static final List<UserColumn> USER_COLUMNS = List.of(
            new UserColumn("subscription_changes", "user_id"), new UserColumn("subscriptions", "user_id"),
            new UserColumn("usage_metrics", "user_id"), new UserColumn("usage_summaries", "user_id"),
            new UserColumn("rating_segments", "user_id"), new UserColumn("rating_usage", "user_id"),
            new UserColumn("tracked_events", "user_id"), new UserColumn("tracked_usage", "user_id"),
            new UserColumn("report_daily_usage", "user_id"),
            new UserColumn("invoices", "user_id"), new UserColumn("invoice_lines", "user_id"),
            new UserColumn("stripe_customers", "user_id"), new UserColumn("stripe_pushes", "user_id"),
            new UserColumn("stripe_customer_attempts", "user_id"), new UserColumn("alerts", "user_id"),
            new UserColumn("api_keys", "user_id"), new UserColumn("console_users", "user_id"),
            new UserColumn("experiment_assignments", "user_id"), new UserColumn("audit_user_refs", "user_id"));

    private GdprTables() {
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
