package com.acme.billing.gdpr;

import com.acme.billing.eventstore.EventStore;
import com.acme.billing.experiment.store.ExperimentPricing;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.BillingPaths;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.report.ReportsService;
import com.acme.billing.subscription.store.SubscriptionRepository;
import com.acme.billing.user.UserId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code gdpr export} and {@code gdpr erase} (SPEC 11), over every {@link PersonalDataHolder} and the event
 * store.
 *
 * <p>Erase, in order: (1) one transaction of the billing database: the erase is recorded with a fresh
 * pseudonym ({@code gdpr_erasures}, with the old id as long as the erase is unfinished), every holder deletes
 * or pseudonymizes its rows, and on PostgreSQL the user's raw events are replaced by their sums per segment
 * in the same transaction; (2) with the embedded store, the same replacement in one DuckDB transaction; (3)
 * the user's lines leave the rejects and archived logs; (4) the reports of the periods the user appears in
 * are rendered again; (5) the erase is marked complete, which forgets the old id. A crash anywhere before
 * (5) leaves the record pending: running the same erase again finds it and does every step again with the
 * same pseudonym, each step being a no-op where it was done.
 */
@Service
public class GdprService {

    /** What an export wrote: the file and the rows per kind of data. */
    public record Exported(Path file, Map<String, Long> counts) {
    }

    /**
     * What an erase did, per kind of data: rows deleted and rows kept under the pseudonym; the raw events
     * replaced (kind {@code usage_events}: {@code deleted} raw events, {@code pseudonymized} segment sums
     * written), the lines removed from files under BILLING_HOME, the periods whose reports were rendered
     * again; {@code resumed} when it finished an erase that had stopped half way.
     */
    public record Erased(String pseudonym, boolean resumed, Map<String, Long> deleted, Map<String, Long> pseudonymized, long fileLinesRemoved,
            List<String> reportsRendered) {
    }

    public static final String EVENTS = "usage_events";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final List<PersonalDataHolder> holders;
    private final EventStore events;
    private final SubscriptionRepository subscriptions;
    private final ExperimentPricing pricing;
    private final ReportsService reports;
    private final HomeFiles files;
    private final BillingPaths paths;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public GdprService(List<PersonalDataHolder> holders, EventStore events, SubscriptionRepository subscriptions, ExperimentPricing pricing,
            ReportsService reports, HomeFiles files, BillingPaths paths, JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.holders = List.copyOf(holders);
        this.events = events;
        this.subscriptions = subscriptions;
        this.pricing = pricing;
        this.reports = reports;
        this.files = files;
        this.paths = paths;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    /** The holders, in order (for tests and for whoever wires another one). */
    public List<String> kinds() {
        return holders.stream().map(PersonalDataHolder::kind).toList();
    }

    /** Rows held about the user per kind, raw events included ({@code usage_events}). */
    public Map<String, Long> counts(UserId user) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (PersonalDataHolder holder : holders) {
            counts.merge(holder.kind(), holder.count(user), Long::sum);
            if (holder.kind().equals("usage")) {
                counts.put(EVENTS, storedEvents(user));
            }
        }
        counts.putIfAbsent(EVENTS, storedEvents(user));
        return counts;
    }

    private long storedEvents(UserId user) {
        return events.usageOf(user.value()).stream().mapToLong(EventStore.UserMonthUsage::events).sum();
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static InputRefusedException unknown() {
        return new InputRefusedException("no data is held about this user id (never seen, or erased already); nothing written");
    }

    /**
     * Writes one JSON document with everything held about the user (SPEC 11) to {@code out}, through a
     * temporary file, readable by its owner only. Refused (nothing written) for a user nothing is held about.
     */
    public Exported export(UserId user, Path out) {
        Map<String, Long> counts = counts(user);
        if (total(counts) == 0) {
            throw unknown();
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("user_id", user.value());
        document.put("exported_at", clock.instant().toString());
        for (PersonalDataHolder holder : holders) {
            Optional<Object> section = holder.export(user);
            if (section.isPresent() || !holder.kind().equals("job_bookmarks")) {
                document.put(holder.kind(), section.orElse(null));
            }
            if (holder.kind().equals("usage")) {
                document.put(EVENTS, eventsSection(user));
            }
        }
        document.putIfAbsent(EVENTS, eventsSection(user));
        write(out, JSON.writeValueAsString(document) + "\n");
        return new Exported(out, counts);
    }

    private Object eventsSection(UserId user) {
        List<Map<String, Object>> byMonth = new ArrayList<>();
        long stored = 0;
        for (EventStore.UserMonthUsage u : events.usageOf(user.value())) {
            stored += u.events();
            byMonth.add(Rows.map("month", String.format("%04d-%02d", u.month() / 100, u.month() % 100), "metric", u.metric(),
                    "events", u.events(), "quantity", u.quantity()));
        }
        return stored == 0 ? null : Rows.map("stored", stored, "by_month", byMonth);
    }

    private static void write(Path out, String text) {
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".tmp");
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(tmp, text);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its defaults apply
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + out + ": " + e.getMessage(), e);
        }
    }

    /** The pseudonym of the user's unfinished erase, if one stopped half way. */
    private Optional<UserId> pending(UserId user) {
        return jdbc.sql("SELECT pseudonym FROM gdpr_erasures WHERE pending_user_id = ?").param(user.value()).query(String.class).optional()
                .map(UserId::parse);
    }

    /** A pseudonym no table, no erase and no stored event knows. */
    private UserId freshPseudonym() {
        for (int attempt = 0; attempt < 100; attempt++) {
            UserId candidate = Pseudonyms.draw();
            boolean taken = jdbc.sql("SELECT COUNT(*) FROM gdpr_erasures WHERE pseudonym = ?").param(candidate.value()).query(Long.class).single() > 0
                    || total(counts(candidate)) > 0;
            if (!taken) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free pseudonym after 100 draws");
    }

    /**
     * Erases the user (SPEC 11): profile, raw usage events, tracked events, console accounts and the
     * reports' per-day copy deleted; every kept record under a pseudonym {@code erased-<8 hex>}; every
     * period's totals unchanged. Refused for a user nothing is held about.
     */
    public Erased erase(UserId user) {
        // Variants follow the SHA-256 of the user id: record them under the real id before it goes.
        pricing.recordAssignments();
        Map<String, Long> deleted = new LinkedHashMap<>();
        Map<String, Long> pseudonymized = new LinkedHashMap<>();
        boolean[] resumed = new boolean[1];
        UserId pseudonym = tx.execute(status -> {
            Optional<UserId> pending = pending(user);
            resumed[0] = pending.isPresent();
            UserId p;
            if (pending.isPresent()) {
                p = pending.get();
            } else {
                if (total(counts(user)) == 0) {
                    throw unknown();
                }
                p = freshPseudonym();
                jdbc.sql("INSERT INTO gdpr_erasures (pseudonym, pending_user_id, started_at) VALUES (?, ?, ?)")
                        .params(p.value(), user.value(), OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)).update();
            }
            for (PersonalDataHolder holder : holders) {
                PersonalDataHolder.Erased done = holder.erase(user, p);
                deleted.merge(holder.kind(), done.deleted(), Long::sum);
                pseudonymized.merge(holder.kind(), done.pseudonymized(), Long::sum);
            }
            if (events.inBillingDatabase()) {
                replaceEvents(user, p, deleted, pseudonymized);
            }
            return p;
        });
        if (!events.inBillingDatabase()) {
            // The billing database has committed the pending erase: a crash from here on is finished by a rerun.
            replaceEvents(user, pseudonym, deleted, pseudonymized);
        }
        long lines = files.removeLinesOf(user);
        List<String> rendered = renderReports(pseudonym);
        jdbc.sql("UPDATE gdpr_erasures SET pending_user_id = NULL, completed_at = ? WHERE pseudonym = ?")
                .params(OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), pseudonym.value()).update();
        return new Erased(pseudonym.value(), resumed[0], deleted, pseudonymized, lines, rendered);
    }

    private void replaceEvents(UserId user, UserId pseudonym, Map<String, Long> deleted, Map<String, Long> pseudonymized) {
        SegmentTotals totals = new SegmentTotals(pseudonym, subscriptions.changesOf(pseudonym));
        events.eventsOf(user.value(), totals::add);
        List<EventStore.Event> replacement = totals.replacement();
        long removed = events.replaceUserEvents(user.value(), replacement);
        deleted.put(EVENTS, removed);
        pseudonymized.put(EVENTS, removed == 0 ? 0L : replacement.size());
    }

    /** Renders again the reports under BILLING_HOME/reports of every period the pseudonym has invoices or usage in. */
    private List<String> renderReports(UserId pseudonym) {
        List<String> periods = jdbc.sql("SELECT period FROM invoices WHERE user_id = :p UNION SELECT period FROM usage_summaries WHERE user_id = :p "
                + "UNION SELECT month_year FROM usage_metrics WHERE user_id = :p ORDER BY 1").param("p", pseudonym.value()).query(String.class).list();
        List<String> rendered = new ArrayList<>();
        for (String period : periods) {
            Path dir = paths.reports().resolve(period);
            BillingPeriod p = BillingPeriod.parse(period);
            if (Files.isDirectory(dir) && reports.hasInvoices(p)) {
                reports.render(p, dir);
                rendered.add(period);
            }
        }
        return rendered;
    }
}
