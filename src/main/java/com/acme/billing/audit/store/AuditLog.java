package com.acme.billing.audit.store;

import com.acme.billing.audit.AuditActor;
import com.acme.billing.audit.AuditChain;
import com.acme.billing.audit.AuditEntry;
import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.audit.AuditVerifier;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.platform.JobFailedException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit log (SPEC 11), a table of the billing database: every operator's and admin's action, appended as one row
 * of a SHA-256 hash chain ({@link AuditChain}), and {@link #verify} to find the first row edited, deleted or put out
 * of order.
 *
 * <p>Appends take turns on the one row of {@code audit_head} ({@code SELECT ... FOR UPDATE}), which holds the count and
 * the last hash and moves on in the same transaction as the insert: two processes (serve and a command, on H2 through
 * its auto-server or on PostgreSQL) never fork the chain, numbers stay contiguous, and deleting the last rows shows as
 * a head that counts more rows than there are.
 *
 * <p>{@code written_at} is the machine's clock, not the business clock: BILLING_NOW replays a past month, but an audit
 * row says when someone really acted. Where BILLING_NOW is set, it is kept beside it ({@code billing_now}).
 */
@Service
public class AuditLog {

    /** The head: how many rows the log has and the hash of the last one ({@link AuditChain#GENESIS} when empty). */
    public record Head(long seq, String hash) {
    }

    private static final int ATTEMPTS = 30;
    private static final String COLUMNS = "seq, written_at, billing_now, actor_kind, actor, action, subject, outcome, reason, execution_id, details, "
            + "prev_hash, hash";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Instant billingNow;
    private final Clock machineClock;

    @org.springframework.beans.factory.annotation.Autowired
    public AuditLog(JdbcClient jdbc, PlatformTransactionManager transactionManager, @Value("${billing.now:}") String billingNow) {
        this(jdbc, transactionManager, billingNow == null || billingNow.isBlank() ? null : Instant.parse(billingNow.trim()), Clock.systemUTC());
    }

    AuditLog(JdbcClient jdbc, PlatformTransactionManager transactionManager, Instant billingNow, Clock machineClock) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactionManager);
        this.billingNow = billingNow;
        this.machineClock = machineClock;
    }

    /**
     * Appends one row and returns it as stored. Inside a caller's transaction the row commits (or rolls back) with it;
     * otherwise in a transaction of its own, tried again while another writer holds the head.
     *
     * @param action  lower-case words separated by dots: {@code finalize}, {@code api-key.create}, {@code gdpr.erase}
     * @param subject what it acted on, {@code kind:id}: {@code period:2026-11}, {@code execution:12}, {@code user:alice}
     * @param details more facts as short strings (never a secret or a customer's personal data), or null
     */
    public AuditEntry append(AuditActor actor, String action, String subject, AuditOutcome outcome, Map<String, String> details) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return appendNow(actor, action, subject, outcome, details);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> appendNow(actor, action, subject, outcome, details));
            } catch (ConcurrencyFailureException e) {
                // H2 gives up waiting for a lock after a second; PostgreSQL may pick this transaction as a deadlock's victim.
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private AuditEntry appendNow(AuditActor actor, String action, String subject, AuditOutcome outcome, Map<String, String> details) {
        Head head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
        AuditEntry row = AuditChain.next(head.seq(), head.hash(), machineClock.instant(), billingNow, actor, action, subject, outcome, details);
        jdbc.sql("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(row.seq(), utc(row.at()), utc(row.billingNow()), row.actorKind(), row.actor(), row.action(), row.subject(), row.outcome(),
                        row.reason(), row.executionId(), row.details(), row.prevHash(), row.hash())
                .update();
        jdbc.sql("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1").params(row.seq(), row.hash()).update();
        return row;
    }

    /**
     * Runs an action and appends its row: {@code ok} with the outcome {@code okOutcome} gives the result, {@code refused}
     * when it throws {@link InputRefusedException}, {@code failed} (with the execution id) for {@link JobFailedException}
     * or any other exception, which is then thrown on. The action runs in no transaction of this log's: a batch job
     * commits on its own, and its row follows.
     */
    public <T> T record(AuditActor actor, String action, String subject, Map<String, String> details, Supplier<T> work,
            Function<? super T, AuditOutcome> okOutcome) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            appendAfterFailure(actor, action, subject, details, e);
            throw e;
        }
        append(actor, action, subject, okOutcome.apply(result), details);
        return result;
    }

    /** As {@link #record(AuditActor, String, String, Map, Supplier, Function)} with a plain {@code ok}. */
    public <T> T record(AuditActor actor, String action, String subject, Map<String, String> details, Supplier<T> work) {
        return record(actor, action, subject, details, work, result -> AuditOutcome.ok());
    }

    /**
     * For an action that is a few database writes: the action and its {@code ok} row commit together in one transaction
     * (or neither does); a refusal or failure rolls the action back and is appended on its own. {@code subjectOf} names
     * the subject from the result (a new key's id), {@code subjectIfNone} when there is none.
     */
    public <T> T recordInTransaction(AuditActor actor, String action, Function<? super T, String> subjectOf, String subjectIfNone,
            Map<String, String> details, Supplier<T> work) {
        try {
            return tx.execute(status -> {
                T result = work.get();
                appendNow(actor, action, subjectOf.apply(result), AuditOutcome.ok(), details);
                return result;
            });
        } catch (RuntimeException e) {
            appendAfterFailure(actor, action, subjectIfNone, details, e);
            throw e;
        }
    }

    /** What an exception says about an action: refused (its rules said no) or failed (with the job execution that failed). */
    public static AuditOutcome outcomeOf(RuntimeException e) {
        if (e instanceof InputRefusedException) {
            return AuditOutcome.refused(e.getMessage());
        }
        if (e instanceof JobFailedException failed) {
            return AuditOutcome.failed(firstLine(e.getMessage()), failed.executionId());
        }
        return AuditOutcome.failed(firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null);
    }

    private void appendAfterFailure(AuditActor actor, String action, String subject, Map<String, String> details, RuntimeException e) {
        try {
            append(actor, action, subject, outcomeOf(e), details);
        } catch (RuntimeException auditFailure) {
            e.addSuppressed(auditFailure);
        }
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    public Head head() {
        return jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1").query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
    }

    /** The rows written at or after {@code since} (every row when null), oldest first. */
    public List<AuditEntry> list(Instant since) {
        return since == null ? jdbc.sql("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq").query(AuditLog::row).list()
                : jdbc.sql("SELECT " + COLUMNS + " FROM audit_log WHERE written_at >= ? ORDER BY seq").param(utc(since)).query(AuditLog::row).list();
    }

    /**
     * Checks every row's link and content and the head (see {@link AuditVerifier}). The head stays locked meanwhile,
     * so that no append lands between reading the rows and reading the head; appends wait for it.
     */
    public AuditVerifier.Result verify() {
        return tx.execute(status -> {
            Head head = jdbc.sql("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
                    .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
            AuditVerifier verifier = new AuditVerifier(this::seqOfHash);
            jdbc.sql("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq").withFetchSize(1000)
                    .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> verifier.accept(row(rs, 0)));
            return verifier.finish(head.seq(), head.hash());
        });
    }

    private OptionalLong seqOfHash(String hash) {
        return jdbc.sql("SELECT MIN(seq) FROM audit_log WHERE hash = ?").param(hash).query(Long.class).optional()
                .map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private static AuditEntry row(ResultSet rs, int n) throws SQLException {
        return new AuditEntry(rs.getLong(1), instant(rs.getObject(2, OffsetDateTime.class)), instant(rs.getObject(3, OffsetDateTime.class)),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getObject(10) == null ? null : rs.getLong(10), rs.getString(11), rs.getString(12), rs.getString(13));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
