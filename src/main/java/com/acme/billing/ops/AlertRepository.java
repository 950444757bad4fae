package com.acme.billing.ops;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code alerts} table: payment failures, limit breaches, cancellations, job failures (SPEC 1 {@code alerts}). */
@Repository
public class AlertRepository {

    public record Alert(long id, String type, String userId, String invoiceId, Instant at, String message, String source) {
    }

    private final JdbcClient jdbc;

    public AlertRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Raises an alert unless one with the same {@code dedupeKey} exists; returns whether it was new. */
    public boolean raise(String type, String userId, String invoiceId, Instant at, String message, String source, String dedupeKey) {
        if (jdbc.sql("SELECT COUNT(*) FROM alerts WHERE dedupe_key = ?").param(dedupeKey).query(Long.class).single() > 0) {
            return false;
        }
        jdbc.sql("INSERT INTO alerts (type, user_id, invoice_id, at, message, source, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(type, userId, invoiceId, OffsetDateTime.ofInstant(at, ZoneOffset.UTC),
                        message.length() > 2000 ? message.substring(0, 1999) + "…" : message, source, dedupeKey)
                .update();
        return true;
    }

    /** Alerts at or after {@code since} (null: all), oldest first. */
    public List<Alert> since(Instant since) {
        return jdbc.sql("SELECT id, type, user_id, invoice_id, at, message, source FROM alerts WHERE at >= ? ORDER BY at, id")
                .param(OffsetDateTime.ofInstant(since == null ? Instant.EPOCH : since, ZoneOffset.UTC))
                .query((rs, n) -> new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getString(7)))
                .list();
    }
}
