package com.acme.billing.audit.store;

import com.acme.billing.user.UserId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How an audit row names a user: {@code user-ref:<8 hex>}, a random reference kept in
 * {@code audit_user_refs}, never the user id itself. The log's rows cannot change, a user can be erased
 * (SPEC 11): the erase pseudonymizes the reference's owner and every row stays true and verifiable.
 */
@Component
public class AuditSubjects {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    public AuditSubjects(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The user's reference, made on first use (in the caller's transaction). */
    public String user(UserId user) {
        for (int attempt = 0; ; attempt++) {
            Optional<String> known = jdbc.sql("SELECT ref FROM audit_user_refs WHERE user_id = ?").param(user.value()).query(String.class).optional();
            if (known.isPresent()) {
                return "user-ref:" + known.get();
            }
            byte[] bytes = new byte[4];
            RANDOM.nextBytes(bytes);
            String ref = HexFormat.of().formatHex(bytes);
            try {
                jdbc.sql("INSERT INTO audit_user_refs (ref, user_id, created_at) VALUES (?, ?, ?)")
                        .params(ref, user.value(), OffsetDateTime.now(Clock.systemUTC()).withOffsetSameInstant(ZoneOffset.UTC)).update();
                return "user-ref:" + ref;
            } catch (DuplicateKeyException e) {
                if (attempt >= 5) {
                    throw e; // another process made this user's reference at the same moment: read it on the next turn
                }
            }
        }
    }

    /** {@code text} with the user id, wherever it stands as a whole id, replaced by the user's reference. */
    public String redact(String text, UserId user) {
        if (text == null) {
            return null;
        }
        Pattern whole = Pattern.compile("(?<![A-Za-z0-9._:@-])" + Pattern.quote(user.value()) + "(?![A-Za-z0-9._:@-])");
        Matcher m = whole.matcher(text);
        return m.find() ? m.replaceAll(Matcher.quoteReplacement(user(user))) : text;
    }
}
