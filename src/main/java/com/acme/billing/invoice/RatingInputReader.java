package com.acme.billing.invoice;

import com.acme.billing.rating.Rating;
import com.acme.billing.rating.Segment;
import com.acme.billing.subscription.SubscriptionState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams the rating inputs ({@code rating_segments} with {@code rating_usage}) of a period user by user (one item per user, all their segments).
 * Restartable: the last user handed out is saved at every commit, and a restart continues after it.
 */
public class RatingInputReader implements ItemStreamReader<UserPeriod> {

    static final String LAST_USER = "rating.reader.last.user";

    private final DataSource dataSource;
    private final String period;
    private final String afterUser;
    private final String upToUser;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rows;
    private boolean hasRow;
    private String lastUser;

    public RatingInputReader(DataSource dataSource, String period) {
        this(dataSource, period, null, null);
    }

    /**
     * Only the users after {@code afterUser} up to {@code upToUser} (inclusive), in the database's order: a partition of the
     * period (remote partitioning); a null bound is open.
     */
    public RatingInputReader(DataSource dataSource, String period, String afterUser, String upToUser) {
        this.dataSource = dataSource;
        this.period = period;
        this.afterUser = afterUser;
        this.upToUser = upToUser;
    }

    @Override
    public void open(ExecutionContext context) {
        lastUser = context.containsKey(LAST_USER) ? context.getString(LAST_USER) : "";
        if (lastUser.isEmpty() && afterUser != null) {
            lastUser = afterUser; // a partition's first read (or one whose bookmark an erasure emptied) starts at its range
        }
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false); // PostgreSQL streams a cursor only inside a transaction
            statement = connection.prepareStatement("SELECT s.user_id, s.seg_no, s.seg_start, s.seg_end, s.status, s.tier, u.metric, "
                    + "u.quantity FROM rating_segments s LEFT JOIN rating_usage u ON u.period = s.period AND u.user_id = s.user_id "
                    + "AND u.seg_no = s.seg_no WHERE s.period = ? AND s.user_id > ? " + (upToUser != null ? "AND s.user_id <= ? " : "")
                    + "ORDER BY s.user_id, s.seg_no");
            statement.setFetchSize(2_000);
            statement.setString(1, period);
            statement.setString(2, lastUser);
            if (upToUser != null) {
                statement.setString(3, upToUser);
            }
            rows = statement.executeQuery();
            hasRow = rows.next();
        } catch (SQLException e) {
            throw new ItemStreamException("reading rating inputs of " + period + ": " + e.getMessage(), e);
        }
    }

    @Override
    public UserPeriod read() throws SQLException {
        if (!hasRow) {
            return null;
        }
        String user = rows.getString(1);
        List<Rating.SegmentUsage> segments = new ArrayList<>();
        int seg = -1;
        Segment segment = null;
        Map<String, Long> usage = null;
        while (hasRow && rows.getString(1).equals(user)) {
            if (rows.getInt(2) != seg) {
                if (segment != null) {
                    segments.add(new Rating.SegmentUsage(segment, usage));
                }
                seg = rows.getInt(2);
                String status = rows.getString(5);
                SubscriptionState state = switch (status) {
                    case "PAID" -> SubscriptionState.paid(rows.getString(6));
                    case "TRIAL" -> SubscriptionState.trial(rows.getString(6), null);
                    default -> SubscriptionState.NONE;
                };
                segment = new Segment(rows.getObject(3, OffsetDateTime.class).toInstant(), rows.getObject(4, OffsetDateTime.class).toInstant(), state);
                usage = new HashMap<>();
            }
            String metric = rows.getString(7);
            if (metric != null) {
                usage.put(metric, rows.getLong(8));
            }
            hasRow = rows.next();
        }
        segments.add(new Rating.SegmentUsage(segment, usage));
        lastUser = user;
        return new UserPeriod(user, segments);
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(LAST_USER, lastUser);
    }

    @Override
    public void close() {
        try {
            if (connection != null) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            throw new ItemStreamException(e);
        } finally {
            connection = null;
        }
    }
}
