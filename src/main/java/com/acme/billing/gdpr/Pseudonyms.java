package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pseudonym of an erased user, {@code erased-<8 hex>}: 32 random bits from {@link SecureRandom}, not a
 * hash or an HMAC of the user id. A hash of a guessable id ({@code user-000042}) can be recomputed by
 * anyone, and an HMAC by anyone who holds (or later steals) its key; a random value has no key to lose,
 * and once the erase is complete nothing in the database maps it back (docs/gdpr.md). Uniqueness is
 * checked, not hoped for: a candidate that any table or the event store already knows is drawn again.
 */
final class Pseudonyms {

    static final String PREFIX = "erased-";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Pseudonyms() {
    }

    /** A fresh candidate; the caller checks that nothing holds it yet. */
    static UserId draw() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return UserId.parse(PREFIX + HexFormat.of().formatHex(bytes));
    }

    /**
     * {@code text} with every occurrence of {@code user} as a whole id replaced by {@code pseudonym}: an
     * occurrence counts when no id character ({@code [A-Za-z0-9._@-]}) touches it on either side, so
     * {@code "cancellation:alice:2026"} and {@code "for alice at"} change while the invoice id
     * {@code INV-2026-10-alice} (a legal number, kept) and {@code alice2} do not.
     */
    static String replaceId(String text, UserId user, UserId pseudonym) {
        if (text == null || !text.contains(user.value())) {
            return text;
        }
        return idPattern(user).matcher(text).replaceAll(Matcher.quoteReplacement(pseudonym.value()));
    }

    /** Whether {@code text} names {@code user} as a whole id (see {@link #replaceId}). */
    static boolean mentions(String text, UserId user) {
        return text != null && text.contains(user.value()) && idPattern(user).matcher(text).find();
    }

    private static Pattern idPattern(UserId user) {
        return Pattern.compile("(?<![A-Za-z0-9._@-])" + Pattern.quote(user.value()) + "(?![A-Za-z0-9_@-])(?!\\.[A-Za-z0-9])");
    }
}
