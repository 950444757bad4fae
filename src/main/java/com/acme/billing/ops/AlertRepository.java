package com.acme.billing.ops;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code alerts} table (SPEC 10) and its outbox {@code alert_deliveries}: an alert is stored once
 * per subject (its {@code dedupe_key}), and in the same transaction one delivery row per channel
 * configured now (webhook, e-mail), which {@link AlertDelivery} works off.
 */
@Repository
public class AlertRepository {

    /** An alert to raise; {@code dedupeKey} names its subject (SPEC 10: user, metric and month; invoice; ...). */
    public record NewAlert(String type, String userId, String invoiceId, String metric, String period, Instant at, String message,
            String source, String dedupeKey) {
    }

    public record Alert(long id, String type, String userId, String invoiceId, String metric, String period, Instant at, String message,
            String source, List<Delivery> deliveries) {
    }

    /** {@code status}: pending, delivered or failed (for good, after the last attempt). */
    public record Delivery(String channel, String status, int attempts, Instant nextAttemptAt, String lastError, Instant deliveredAt) {
    }

    private static final String COLUMNS = "id, type, user_id, invoice_id, metric, period, at, message, source, dedupe_key";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate tx;
    private final AlertChannels channels;

    public AlertRepository(JdbcClient jdbc, JdbcTemplate template, TransactionTemplate tx, AlertChannels channels) {
        this.jdbc = jdbc;
        this.template = template;
        this.tx = tx;
        this.channels = channels;
    }

    /** Raises an alert unless one with the same {@code dedupeKey} exists; returns whether it was new. */
    public boolean raise(String type, String userId, String invoiceId, Instant at, String message, String source, String dedupeKey) {
        return raiseAll(List.of(new NewAlert(type, userId, invoiceId, null, null, at, message, source, dedupeKey))) == 1;
    }

    /**
     * Raises those of {@code alerts} whose subject has no alert yet, in one transaction (joining the
     * caller's, if any), with their delivery rows; returns how many were new.
     */
    public int raiseAll(List<NewAlert> alerts) {
        if (alerts.isEmpty()) {
            return 0;
        }
        Integer raised = tx.execute(status -> {
            Map<String, NewAlert> fresh = new LinkedHashMap<>();
            alerts.forEach(a -> fresh.putIfAbsent(a.dedupeKey(), a));
            fresh.keySet().removeAll(known(new ArrayList<>(fresh.keySet())));
            if (fresh.isEmpty()) {
                return 0;
            }
            List<NewAlert> rows = new ArrayList<>(fresh.values());
            template.batchUpdate("INSERT INTO alerts (type, user_id, invoice_id, metric, period, at, message, source, dedupe_key) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows, 1000, (ps, a) -> {
                        ps.setString(1, a.type());
                        ps.setString(2, a.userId());
                        ps.setString(3, a.invoiceId());
                        ps.setString(4, a.metric());
                        ps.setString(5, a.period());
                        ps.setObject(6, OffsetDateTime.ofInstant(a.at(), ZoneOffset.UTC));
                        ps.setString(7, a.message().length() > 2000 ? a.message().substring(0, 1999) + "…" : a.message());
                        ps.setString(8, a.source());
                        ps.setString(9, a.dedupeKey());
                    });
            List<String> configured = channels.configured();
            if (!configured.isEmpty()) {
                List<Long> ids = ids(rows.stream().map(NewAlert::dedupeKey).toList());
                OffsetDateTime now = OffsetDateTime.now(Clock.systemUTC());
                for (String channel : configured) {
                    template.batchUpdate("INSERT INTO alert_deliveries (alert_id, channel, status, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?)",
                            ids, 1000, (ps, id) -> {
                                ps.setLong(1, id);
                                ps.setString(2, channel);
                                ps.setObject(3, now);
                            });
                }
            }
            return rows.size();
        });
        return raised == null ? 0 : raised;
    }

    /** The ids of the alerts with these subject keys, in id order. */
    private List<Long> ids(List<String> keys) {
        List<Long> ids = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += 500) {
            List<String> slice = keys.subList(from, Math.min(keys.size(), from + 500));
            ids.addAll(template.queryForList("SELECT id FROM alerts WHERE dedupe_key IN (" + String.join(",", Collections.nCopies(slice.size(), "?"))
                    + ") ORDER BY id", Long.class, slice.toArray()));
        }
        return ids;
    }

    /** Which of these subjects have an alert already. */
    private Set<String> known(List<String> keys) {
        Set<String> known = new HashSet<>();
        for (int from = 0; from < keys.size(); from += 500) {
            List<String> slice = keys.subList(from, Math.min(keys.size(), from + 500));
            template.query("SELECT dedupe_key FROM alerts WHERE dedupe_key IN (" + String.join(",", Collections.nCopies(slice.size(), "?")) + ")",
                    rs -> {
                        known.add(rs.getString(1));
                    }, slice.toArray());
        }
        return known;
    }

    /** The subjects already alerted among alerts of these types in a month (for the limit checks of a whole month). */
    public Set<String> keysOf(String period, List<String> types) {
        Set<String> keys = new HashSet<>();
        template.query("SELECT dedupe_key FROM alerts WHERE period = ? AND type IN (" + String.join(",", Collections.nCopies(types.size(), "?")) + ")",
                rs -> {
                    keys.add(rs.getString(1));
                }, concat(period, types));
        return keys;
    }

    private static Object[] concat(String first, List<String> rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray();
    }

    /** Alerts at or after {@code since} (null: all), oldest first, each with its deliveries. */
    public List<Alert> since(Instant since) {
        Map<Long, List<Delivery>> deliveries = new LinkedHashMap<>();
        OffsetDateTime from = OffsetDateTime.ofInstant(since == null ? Instant.EPOCH : since, ZoneOffset.UTC);
        template.query("SELECT d.alert_id, d.channel, d.status, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at "
                + "FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.at >= ? ORDER BY d.id", rs -> {
                    deliveries.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Delivery(rs.getString(2), rs.getString(3),
                            rs.getInt(4), instant(rs.getObject(5, OffsetDateTime.class)), rs.getString(6), instant(rs.getObject(7, OffsetDateTime.class))));
                }, from);
        return jdbc.sql("SELECT " + COLUMNS + " FROM alerts WHERE at >= ? ORDER BY at, id")
                .param(from)
                .query((rs, n) -> new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(8), rs.getString(9),
                        deliveries.getOrDefault(rs.getLong(1), List.of())))
                .list();
    }

    /** One alert by its subject key, without deliveries; null if there is none. */
    public Alert byKey(String dedupeKey) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM alerts WHERE dedupe_key = ?").param(dedupeKey)
                .query((rs, n) -> new Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(8), rs.getString(9), List.of()))
                .optional().orElse(null);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
