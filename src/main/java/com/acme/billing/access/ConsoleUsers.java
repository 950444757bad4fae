package com.acme.billing.access;

import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.user.UserId;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The people who sign in to the console (SPEC 12): made by {@code jobs/billing console-user create}, checked by
 * {@code serve}. Passwords are kept as bcrypt hashes (cost {@value #BCRYPT_COST}: about a tenth of a second per
 * check on this machine, so guessing is slow and a sign-in is not). After {@value #MAX_FAILURES} failed sign-ins in
 * a row an account refuses every sign-in for {@link #LOCK_OUT}, even with the right password.
 */
@Service
public class ConsoleUsers {

    public static final int BCRYPT_COST = 11;
    public static final int MAX_FAILURES = 5;
    public static final Duration LOCK_OUT = Duration.ofMinutes(15);
    public static final int MIN_PASSWORD = 12;

    // The practical shape of an address (one @, a dot in the domain, no spaces); delivery is not our check.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    /** A console account as stored: never its password. {@code userId} is set for customers only. */
    public record ConsoleUser(long id, String email, Role role, String userId, String passwordHash, int failedSignIns,
            Instant lockedUntil, Instant createdAt) {

        public boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }
    }

    private final JdbcClient jdbc;
    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(BCRYPT_COST);

    public ConsoleUsers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The e-mail as stored and looked up: trimmed, lower case. */
    public static String normalized(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws InputRefusedException for a malformed or taken e-mail, a short password, a customer without user or
     *     another role with one
     */
    @Transactional
    public ConsoleUser create(String email, Role role, UserId user, String password, Instant now) {
        String address = normalized(email);
        if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            throw new InputRefusedException("--email: '" + email + "' is not an e-mail address");
        }
        if (role == Role.SERVICE) {
            throw new InputRefusedException("--role: service is for API keys (programs), not for people signing in");
        }
        if (role == Role.CUSTOMER && user == null) {
            throw new InputRefusedException("a customer signs in to one user's billing: give --user ID");
        }
        if (role != Role.CUSTOMER && user != null) {
            throw new InputRefusedException("--user binds customers only; a " + role.id() + " sees every user");
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new InputRefusedException("the password (read from standard input) must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
            // bcrypt reads 72 bytes; a longer password would be cut silently (or refused by the encoder)
            throw new InputRefusedException("the password must be at most 72 bytes in UTF-8 (72 plain ASCII characters)");
        }
        if (find(address).isPresent()) {
            throw new InputRefusedException("--email: " + address + " has a console account already");
        }
        jdbc.sql("INSERT INTO console_users (email, role, user_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(address, role.id(), user == null ? null : user.value(), encoder.encode(password), OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update();
        return find(address).orElseThrow();
    }

    private static final String SELECT = "SELECT console_user_id, email, role, user_id, password_hash, failed_sign_ins, locked_until, created_at "
            + "FROM console_users ";

    private static final org.springframework.jdbc.core.RowMapper<ConsoleUser> ROW = (rs, n) -> new ConsoleUser(rs.getLong(1), rs.getString(2),
            Role.of(rs.getString(3)).orElseThrow(), rs.getString(4), rs.getString(5), rs.getInt(6), instant(rs.getObject(7, OffsetDateTime.class)),
            instant(rs.getObject(8, OffsetDateTime.class)));

    public Optional<ConsoleUser> find(String email) {
        return jdbc.sql(SELECT + "WHERE email = ?").param(normalized(email)).query(ROW).optional();
    }

    public List<ConsoleUser> list() {
        return jdbc.sql(SELECT + "ORDER BY console_user_id").query(ROW).list();
    }

    /** Whether this password is the account's (bcrypt's own comparison; the hash never leaves this class). */
    public boolean passwordMatches(ConsoleUser user, String password) {
        return password != null && encoder.matches(password, user.passwordHash());
    }

    /** A bcrypt hash of nothing anyone knows: checked against for unknown e-mails, so that they take as long. */
    public boolean passwordMatchesNobody(String password) {
        encoder.matches(password == null ? "" : password, DUMMY_HASH);
        return false;
    }

    /**
     * bcrypt of "no account has this password" at {@value #BCRYPT_COST} (the cost is read from the hash, so checking against
     * it takes as long as against a real account's). Written out rather than computed when the class loads: computing it
     * cost every command that creates this bean, which is every command, about 0.1 s of start-up for a hash that only
     * serve's sign-in uses (docs/benchmarks.md, "Start-up").
     */
    static final String DUMMY_HASH = "$2a$11$rSP.OPdepIFqYbwhwZmPbus62Gylv7mNg3Wh5480nnU7aLOVigz/2";

    /** One more failed sign-in in a row; the {@value #MAX_FAILURES}th locks the account for {@link #LOCK_OUT}. */
    @Transactional
    public void recordFailure(String email, Instant now) {
        jdbc.sql("UPDATE console_users SET failed_sign_ins = failed_sign_ins + 1 WHERE email = ?").param(normalized(email)).update();
        jdbc.sql("UPDATE console_users SET locked_until = ?, failed_sign_ins = 0 WHERE email = ? AND failed_sign_ins >= ?")
                .params(OffsetDateTime.ofInstant(now.plus(LOCK_OUT), ZoneOffset.UTC), normalized(email), MAX_FAILURES)
                .update();
    }

    /** A successful sign-in ends the run of failures. */
    @Transactional
    public void recordSuccess(String email) {
        jdbc.sql("UPDATE console_users SET failed_sign_ins = 0, locked_until = NULL WHERE email = ?").param(normalized(email)).update();
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
