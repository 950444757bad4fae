package com.acme.billing.subscription.store;

import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionChangesParser;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.subscription.SubscriptionTimeline;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code import-subscriptions FILE}: validates every line, records the new changes and rebuilds the
 * {@code subscriptions} state of the users they touch, all in one transaction.
 */
@Service
public class SubscriptionImport {

    public record Result(int lines, int recorded, int alreadyKnown, int users) {
    }

    private final SubscriptionRepository subscriptions;
    private final CatalogRepository catalogs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final TrialLengths trialLengths;

    public SubscriptionImport(SubscriptionRepository subscriptions, CatalogRepository catalogs, TransactionTemplate tx, Clock clock,
            TrialLengths trialLengths) {
        this.trialLengths = trialLengths;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.tx = tx;
        this.clock = clock;
    }

    public Result importFile(Path file) {
        var catalog = catalogs.latest().orElseThrow(() -> new InputRefusedException(
                file + ": no catalog imported yet; run import-catalog first (tiers and trial lengths come from it)"));
        List<SubscriptionChange> changes;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            changes = SubscriptionChangesParser.parse(reader, file.getFileName().toString(), catalog.catalog());
        } catch (IOException e) {
            throw new InputRefusedException(file + ": cannot read: " + e.getMessage());
        }
        Instant now = clock.instant();
        return tx.execute(status -> {
            List<SubscriptionChange> lengthened = withTrialLengths(changes, catalog.catalog());
            int recorded = 0;
            Set<UserId> users = new LinkedHashSet<>();
            for (SubscriptionChange change : lengthened) {
                if (subscriptions.insertIfNew(change, now)) {
                    recorded++;
                }
                users.add(change.userId());
            }
            List<String> problems = new ArrayList<>();
            for (UserId user : users) {
                List<SubscriptionChange> history = subscriptions.changesOf(user);
                SubscriptionTimeline timeline = SubscriptionTimeline.of(history);
                for (SubscriptionTimeline.Anomaly anomaly : timeline.anomalies()) {
                    problems.add(anomaly.change().source() + ": " + anomaly.change().userId() + ": " + anomaly.reason());
                }
                saveState(user, history, timeline, now);
            }
            if (!problems.isEmpty()) {
                status.setRollbackOnly();
                throw new InputRefusedException(file + ": changes that cannot apply, nothing imported:\n  " + String.join("\n  ", problems));
            }
            return new Result(changes.size(), recorded, changes.size() - recorded, users.size());
        });
    }

    /**
     * The file's trials with the length a pricing experiment gives them (SPEC 9: a variant's
     * {@code trial_days} for the trials its users start); the parser gave them the catalog's. A user's
     * first change is the earliest stored one, else the earliest in the file.
     */
    private List<SubscriptionChange> withTrialLengths(List<SubscriptionChange> changes, com.acme.billing.catalog.Catalog catalog) {
        if (changes.stream().noneMatch(c -> c.action() == com.acme.billing.subscription.SubscriptionAction.TRIAL)) {
            return changes;
        }
        TrialLengths.Rule rule = trialLengths.current();
        if (rule == TrialLengths.CATALOG) {
            return changes;
        }
        java.util.Map<UserId, Instant> firstSeen = new java.util.HashMap<>();
        for (SubscriptionChange change : changes) {
            firstSeen.merge(change.userId(), change.effectiveAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
        List<SubscriptionChange> result = new ArrayList<>(changes.size());
        for (SubscriptionChange change : changes) {
            if (change.action() != com.acme.billing.subscription.SubscriptionAction.TRIAL) {
                result.add(change);
                continue;
            }
            Instant first = subscriptions.changesOf(change.userId()).stream().map(SubscriptionChange::effectiveAt).min(Instant::compareTo)
                    .filter(stored -> stored.isBefore(firstSeen.get(change.userId()))).orElse(firstSeen.get(change.userId()));
            int days = rule.days(change.userId(), first, catalog.tier(change.tier()).orElseThrow());
            result.add(new SubscriptionChange(change.userId(), change.effectiveAt(), change.action(), change.tier(), change.stripeCustomerId(),
                    change.effectiveAt().plus(java.time.Duration.ofSeconds(86_400L * days)), change.sequence(), change.source()));
        }
        return result;
    }

    /**
     * Records one change from elsewhere (a Stripe webhook) inside the caller's transaction, as an
     * import would: refused, with nothing written, when it cannot apply to the user's history.
     *
     * @return the reason it was refused, or null when it was recorded (or was already known)
     */
    public String apply(SubscriptionChange change) {
        List<SubscriptionChange> history = new ArrayList<>(subscriptions.changesOf(change.userId()));
        history.add(new SubscriptionChange(change.userId(), change.effectiveAt(), change.action(), change.tier(), change.stripeCustomerId(),
                change.trialEndsAt(), Long.MAX_VALUE, change.source()));
        for (SubscriptionTimeline.Anomaly anomaly : SubscriptionTimeline.of(history).anomalies()) {
            if (anomaly.change().sequence() == Long.MAX_VALUE) {
                return anomaly.reason();
            }
        }
        Instant now = clock.instant();
        subscriptions.insertIfNew(change, now);
        List<SubscriptionChange> stored = subscriptions.changesOf(change.userId());
        saveState(change.userId(), stored, SubscriptionTimeline.of(stored), now);
        return null;
    }

    private void saveState(UserId user, List<SubscriptionChange> history, SubscriptionTimeline timeline, Instant now) {
        SubscriptionState state = timeline.stateAt(now);
        String lastTier = null;
        boolean started = false;
        for (SubscriptionTimeline.Interval interval : timeline.intervals()) {
            if (!interval.start().isAfter(now)) {
                started = true;
                if (interval.state().tier() != null) {
                    lastTier = interval.state().tier();
                }
            }
        }
        String status = switch (state.status()) {
            case TRIAL -> "trialing";
            case PAID -> "active";
            case NONE -> started ? "canceled" : "inactive";
        };
        String customer = null;
        for (SubscriptionChange change : history) {
            if (change.stripeCustomerId() != null) {
                customer = change.stripeCustomerId();
            }
        }
        BillingPeriod period = BillingPeriod.containing(now);
        boolean live = state.status() != SubscriptionState.Status.NONE;
        subscriptions.saveState(user.value(), live ? state.tier() : lastTier, status, customer, state.trialEndsAt(),
                live ? period.start() : null, live ? period.end() : null, now);
    }
}
