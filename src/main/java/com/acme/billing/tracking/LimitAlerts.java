package com.acme.billing.tracking;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.ingest.UsageRolledUp;
import com.acme.billing.ops.AlertRepository;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.subscription.SubscriptionTimeline;
import com.acme.billing.subscription.store.SubscriptionRepository;
import com.acme.billing.user.UserId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The limit alerts of SPEC 10, raised where usage is recorded: {@code limit_warning} once a user's
 * month reached 80 % of a metric's included quantity, {@code limit_reached} at 100 % (a jump past
 * both raises both), each once per user, metric and month. Used and included are those of
 * {@code usage/current} ({@link CurrentUsage}): every event ingested or tracked, and the included
 * quantity of the month's trial and paid segments, the plan in force now running to the month's end.
 * A metric the user's plans include none of (0) raises nothing: there is no limit to reach.
 */
@Service
public class LimitAlerts {

    public static final String WARNING = "limit_warning";
    public static final String REACHED = "limit_reached";
    private static final List<String> TYPES = List.of(WARNING, REACHED);

    private final AlertRepository alerts;
    private final CurrentUsage currentUsage;
    private final CatalogRepository catalogs;
    private final SubscriptionRepository subscriptions;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;

    public LimitAlerts(AlertRepository alerts, CurrentUsage currentUsage, CatalogRepository catalogs, SubscriptionRepository subscriptions,
            JdbcTemplate jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.alerts = alerts;
        this.currentUsage = currentUsage;
        this.catalogs = catalogs;
        this.subscriptions = subscriptions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The thresholds {@code used} has reached of {@code included}, lowest first. */
    public static List<String> crossed(long used, long included) {
        if (included <= 0) {
            return List.of();
        }
        List<String> crossed = new ArrayList<>(2);
        if (used * 5 >= included * 4) {
            crossed.add(WARNING);
        }
        if (used >= included) {
            crossed.add(REACHED);
        }
        return crossed;
    }

    /** After ingest stored events (files, the inbox, the move of tracked events): every user of the months touched. */
    @EventListener
    public void on(UsageRolledUp rolledUp) {
        long startNanos = System.nanoTime();
        int raised = 0;
        for (BillingPeriod month : rolledUp.months()) {
            raised += checkMonth(month, "ingest");
        }
        System.err.printf("  limit alerts: %,d raised for %s (%.1f s)%n", raised, rolledUp.months(), (System.nanoTime() - startNanos) / 1e9);
    }

    /** Every user with usage in the month, in bulk: two queries for the usage and one for all subscriptions. */
    public int checkMonth(BillingPeriod period, String source) {
        Map<String, Map<String, Long>> used = MonthUsage.byUser(jdbc, period, null);
        if (used.isEmpty()) {
            return 0;
        }
        Catalog catalog = catalogs.latest().map(CatalogRepository.StoredCatalog::catalog).orElse(null);
        if (catalog == null) {
            return 0;
        }
        Set<String> known = alerts.keysOf(period.toString(), TYPES);
        Instant now = clock.instant();
        List<AlertRepository.NewAlert> raise = new ArrayList<>();
        // changes effective up to now (those later are not known yet, as for usage/current)
        subscriptions.forEachUser(now.plusNanos(1), null, (user, changes) -> {
            Map<String, Long> usage = used.get(user);
            if (usage != null) {
                Map<String, Long> included = CurrentUsage.included(SubscriptionTimeline.of(changes), period, catalog);
                usage.forEach((metric, u) -> add(raise, known, user, metric, period, u, included.getOrDefault(metric, 0L), now, source));
            }
        });
        return raiseAll(raise);
    }

    /**
     * Raises in a transaction of its own, so that a race with another process raising the same alert at the
     * same moment (serve's track beside an ingest) costs a retry, never the caller's work: the retry finds
     * the other's alert and skips it.
     */
    public int raiseAll(List<AlertRepository.NewAlert> raise) {
        if (raise.isEmpty()) {
            return 0;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Integer raised = ownTransaction.execute(status -> alerts.raiseAll(raise));
                return raised == null ? 0 : raised;
            } catch (DataIntegrityViolationException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** What a check of one user's month found to raise, and how far each metric's usage is from its next threshold. */
    public record Assessed(List<AlertRepository.NewAlert> toRaise, Map<String, Long> headroom) {
    }

    /**
     * One user's month, as {@code usage/current} shows it (after an online track), nothing raised yet: the
     * caller raises the alerts of many months in one transaction ({@link #raiseAll}). The headroom of a metric
     * is the quantity still to come before the next threshold not yet reached (warning, then reached; none
     * left: {@link Long#MAX_VALUE}, also for a metric with nothing included), for {@link LimitWatch} to skip
     * checks that cannot raise anything.
     */
    public Assessed assess(UserId user, BillingPeriod period, String source) {
        Instant now = clock.instant();
        List<AlertRepository.NewAlert> raise = new ArrayList<>();
        Map<String, Long> headroom = new HashMap<>();
        currentUsage.of(user, period).ifPresent(month -> month.metrics().forEach(m -> {
            add(raise, Set.of(), user.value(), m.metric(), period, m.used(), m.included(), now, source);
            headroom.put(m.metric(), headroom(m.used(), m.included()));
        }));
        return new Assessed(raise, headroom);
    }

    /** Quantity to come before {@code used} reaches the next threshold of {@link #crossed} it has not reached. */
    static long headroom(long used, long included) {
        if (included <= 0 || used >= included) {
            return Long.MAX_VALUE;
        }
        long warning = (included * 4 + 4) / 5; // the least used with used * 5 >= included * 4
        return used < warning ? warning - used : included - used;
    }

    private static void add(List<AlertRepository.NewAlert> raise, Set<String> known, String user, String metric, BillingPeriod period,
            long used, long included, Instant now, String source) {
        for (String type : crossed(used, included)) {
            String key = type + ":" + user + ":" + metric + ":" + period;
            if (!known.contains(key)) {
                BigDecimal percent = BigDecimal.valueOf(used).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(included), 1, RoundingMode.HALF_UP);
                raise.add(new AlertRepository.NewAlert(type, user, null, metric, period.toString(), now,
                        String.format("%s used %,d of %,d %s included in %s (%s %%)", user, used, included, metric, period, percent.toPlainString()),
                        source, key));
            }
        }
    }
}
