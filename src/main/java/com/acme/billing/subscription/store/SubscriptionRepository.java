package com.acme.billing.subscription.store;

import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;

import com.acme.billing.user.UserId;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Subscription change history and the seed's {@code subscriptions} state table. */
@Repository
public class SubscriptionRepository {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    public SubscriptionRepository(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Records a change unless the very same change (user, instant, action, tier) is already known. */
    public boolean insertIfNew(SubscriptionChange change, Instant now) {
        int known = jdbc.sql("SELECT COUNT(*) FROM subscription_changes WHERE user_id = ? AND effective_at = ? AND action = ? AND tier = ?")
                .params(change.userId().value(), utc(change.effectiveAt()), change.action().wire(), change.tier())
                .query(Integer.class).single();
        if (known > 0) {
            return false;
        }
        jdbc.sql("INSERT INTO subscription_changes (user_id, effective_at, action, tier, stripe_customer_id, trial_ends_at, "
                + "source, source_line, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(change.userId().value(), utc(change.effectiveAt()), change.action().wire(), change.tier(), change.stripeCustomerId(),
                        change.trialEndsAt() == null ? null : utc(change.trialEndsAt()), change.source(), change.sequence(), utc(now))
                .update();
        if (change.action() == SubscriptionAction.CANCEL) {
            // in this transaction: the subscription_cancelled alert (SPEC 10) is stored with the change or not at all
            events.publishEvent(new SubscriptionCancelled(change.userId(), change.effectiveAt(), change.source()));
        }
        return true;
    }

    /** All changes of a user; {@code sequence} is the insertion order, so a later line wins a tie. */
    public List<SubscriptionChange> changesOf(UserId userId) {
        return jdbc.sql("SELECT user_id, effective_at, action, tier, stripe_customer_id, trial_ends_at, id, source "
                + "FROM subscription_changes WHERE user_id = ? ORDER BY effective_at, id")
                .param(userId.value())
                .query((rs, n) -> new SubscriptionChange(userId, instant(rs.getObject(2, OffsetDateTime.class)),
                        SubscriptionAction.parse(rs.getString(3)).orElseThrow(), rs.getString(4), rs.getString(5),
                        instant(rs.getObject(6, OffsetDateTime.class)), rs.getLong(7), rs.getString(8)))
                .list();
    }

    /**
     * Streams every user's changes, user after user in user order, each user's in effective order:
     * one query, one user in memory at a time.
     *
     * @param before   only changes effective before this instant (null: all)
     * @param onlyUser only this user (null: all)
     */
    public void forEachUser(Instant before, String onlyUser, java.util.function.BiConsumer<String, List<SubscriptionChange>> action) {
        StringBuilder sql = new StringBuilder("SELECT user_id, effective_at, action, tier, stripe_customer_id, trial_ends_at, id, source "
                + "FROM subscription_changes WHERE 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        if (before != null) {
            sql.append(" AND effective_at < ?");
            params.add(utc(before));
        }
        if (onlyUser != null) {
            sql.append(" AND user_id = ?");
            params.add(onlyUser);
        }
        sql.append(" ORDER BY user_id, effective_at, id");
        List<SubscriptionChange> current = new java.util.ArrayList<>();
        // The user whose changes are being gathered, updated by the row callback.
        java.util.concurrent.atomic.AtomicReference<UserId> user = new java.util.concurrent.atomic.AtomicReference<>();
        jdbc.sql(sql.toString()).params(params).query(rs -> {
            String u = rs.getString(1);
            if (user.get() == null || !user.get().value().equals(u)) {
                if (user.get() != null) {
                    action.accept(user.get().value(), List.copyOf(current));
                    current.clear();
                }
                user.set(UserId.parse(u));
            }
            current.add(new SubscriptionChange(user.get(), instant(rs.getObject(2, OffsetDateTime.class)),
                    SubscriptionAction.parse(rs.getString(3)).orElseThrow(), rs.getString(4), rs.getString(5),
                    instant(rs.getObject(6, OffsetDateTime.class)), rs.getLong(7), rs.getString(8)));
        });
        if (user.get() != null) {
            action.accept(user.get().value(), List.copyOf(current));
        }
    }

    public void saveState(String userId, String tier, String status, String stripeCustomerId, Instant trialEndsAt,
            Instant periodStart, Instant periodEnd, Instant now) {
        int updated = jdbc.sql("UPDATE subscriptions SET tier = ?, status = ?, stripe_customer_id = COALESCE(?, stripe_customer_id), trial_ends_at = ?, "
                + "current_period_start = ?, current_period_end = ?, updated_at = ? WHERE user_id = ?")
                .params(tier, status, stripeCustomerId, utc(trialEndsAt), utc(periodStart), utc(periodEnd), utc(now), userId)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO subscriptions (user_id, tier, status, stripe_customer_id, trial_ends_at, current_period_start, "
                    + "current_period_end, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(userId, tier, status, stripeCustomerId, utc(trialEndsAt), utc(periodStart), utc(periodEnd), utc(now), utc(now))
                    .update();
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

}
