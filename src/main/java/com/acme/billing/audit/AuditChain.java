package com.acme.billing.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hash chain of the audit log (SPEC 11): {@code hash_n = SHA-256(hash_(n-1) + "\n" + canonical(row_n))} in lower-case
 * hex over UTF-8, starting from {@link #GENESIS}. {@link #canonical} spells a row as one JSON array of its fields in a
 * fixed order, so that every field (the sequence number included) is covered and no two rows share a spelling. It can be
 * recomputed by hand: {@code printf '%s\n%s' "$PREV" "$CANONICAL" | sha256sum}.
 */
public final class AuditChain {

    /** The link before row 1: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    /** An action's name: lower-case words, dot-separated ({@code finalize}, {@code api-key.create}, {@code gdpr.erase}). */
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

    public static final int MAX_SUBJECT = 200;

    private AuditChain() {
    }

    /**
     * The row that follows {@code prevSeq} / {@code prevHash}, with its hash. {@code at} and {@code billingNow} are cut to
     * microseconds (what both databases store), so that the row read back hashes to the same value.
     */
    public static AuditEntry next(long prevSeq, String prevHash, Instant at, Instant billingNow, AuditActor actor, String action, String subject,
            AuditOutcome outcome, Map<String, String> details) {
        if (action == null || action.length() > 64 || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("audit action '" + action + "': lower-case words separated by dots, at most 64 characters");
        }
        String cleanSubject = AuditText.field("subject", subject, MAX_SUBJECT, true);
        AuditEntry unsealed = new AuditEntry(prevSeq + 1, at.truncatedTo(ChronoUnit.MICROS),
                billingNow == null ? null : billingNow.truncatedTo(ChronoUnit.MICROS), actor.kind().id(), actor.name(), action, cleanSubject,
                outcome.status().id(), outcome.reason(), outcome.executionId(), AuditText.details(details), prevHash, null);
        return withHash(unsealed, hash(prevHash, unsealed));
    }

    /** The row's fields as one JSON array, in this order: seq, at, billing_now, actor_kind, actor, action, subject, outcome, reason, execution_id, details. */
    public static String canonical(AuditEntry row) {
        return "[" + row.seq()
                + "," + AuditText.quote(row.at() == null ? null : row.at().toString())
                + "," + AuditText.quote(row.billingNow() == null ? null : row.billingNow().toString())
                + "," + AuditText.quote(row.actorKind())
                + "," + AuditText.quote(row.actor())
                + "," + AuditText.quote(row.action())
                + "," + AuditText.quote(row.subject())
                + "," + AuditText.quote(row.outcome())
                + "," + AuditText.quote(row.reason())
                + "," + (row.executionId() == null ? "null" : row.executionId().toString())
                + "," + AuditText.quote(row.details())
                + "]";
    }

    /** This row's link: SHA-256 of the previous link, a line feed and the row's canonical spelling. */
    public static String hash(String prevHash, AuditEntry row) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest((prevHash + "\n" + canonical(row)).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Whether the row's stored hash is the hash of its stored link and content. */
    public static boolean selfConsistent(AuditEntry row) {
        return row.prevHash() != null && row.hash() != null && hash(row.prevHash(), row).equals(row.hash());
    }

    private static AuditEntry withHash(AuditEntry r, String hash) {
        return new AuditEntry(r.seq(), r.at(), r.billingNow(), r.actorKind(), r.actor(), r.action(), r.subject(), r.outcome(), r.reason(),
                r.executionId(), r.details(), r.prevHash(), hash);
    }
}
