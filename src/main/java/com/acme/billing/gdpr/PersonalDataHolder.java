package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.Optional;

/**
 * One kind of data held about a user (SPEC 11): every table that holds user ids has a holder, and
 * {@code gdpr export} / {@code gdpr erase} ask each of them in turn ({@link GdprService}). A holder is a
 * Spring bean; the holders run in {@link org.springframework.core.annotation.Order} order, which is also the
 * order of the sections of the export document. The customer profile is one holder like the others
 * ({@link ProfileData}).
 */
public interface PersonalDataHolder {

    /** The section's key in the export document and in the erase summary ({@code profile}, {@code invoices}, ...). */
    String kind();

    /** Rows held about the user (0: nothing). Also asked of a candidate pseudonym, which must hold nothing. */
    long count(UserId user);

    /**
     * What is held about the user, as a JSON-ready value: maps in a stable key order, lists in a stable
     * order, amounts as strings, instants as ISO-8601 UTC; empty when nothing is held.
     */
    Optional<Object> export(UserId user);

    /**
     * Deletes what the user's erase removes and writes {@code pseudonym} where a record is kept, inside the
     * caller's transaction. Runs again harmlessly: a second call finds nothing of {@code user}.
     */
    Erased erase(UserId user, UserId pseudonym);

    /** Rows deleted, and rows kept with the user id replaced by the pseudonym. */
    record Erased(long deleted, long pseudonymized) {

        public static final Erased NOTHING = new Erased(0, 0);

        public Erased plus(Erased other) {
            return new Erased(deleted + other.deleted, pseudonymized + other.pseudonymized);
        }
    }
}
