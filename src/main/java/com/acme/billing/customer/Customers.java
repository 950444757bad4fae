package com.acme.billing.customer;

import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.user.UserId;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Customer profiles (SPEC 11): import, read (decrypted, in memory only), delete, and rewrite under the newest key.
 * Name, e-mail, address and VAT id are stored as AEAD ciphertexts bound to {@code customers|<column>|<user_id>};
 * the country stays plain. A user without a profile is simply absent: statements then show the user id.
 */
@Service
public class Customers {

    static final String TABLE = "customers";
    /** The encrypted columns, in the order of the table. */
    static final List<String> ENCRYPTED = List.of("name", "email", "address", "vat_id");
    private static final int PAGE = 500;

    public record ImportResult(Path file, int customers, int added, int replaced, long keyId) {
    }

    /** {@code keys reencrypt}: rows rewritten under the primary key now, rows that already were, and the key ids still in use. */
    public record ReencryptResult(long primaryKeyId, int rewritten, int alreadyCurrent, List<Long> keysInUse) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;
    private final TransactionTemplate tx;
    private final EncryptionKeys keys;
    private final Clock clock;

    public Customers(JdbcClient jdbc, JdbcTemplate batch, TransactionTemplate tx, EncryptionKeys keys, Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.tx = tx;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * {@code import-customers FILE}: every line checked first (any bad line refuses the file, nothing stored); then,
     * in one transaction, each user's profile is stored, replacing the one it had. Users not in the file keep theirs.
     *
     * @throws InputRefusedException for a bad file or when no key set is configured
     */
    public ImportResult importFile(Path file) {
        EncryptionKeyset keyset = keys.current();
        List<CustomerProfile> profiles;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            profiles = CustomersFile.parse(in, file.toString());
        } catch (IOException e) {
            throw new InputRefusedException(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>(profiles.size());
        for (CustomerProfile p : profiles) {
            rows.add(row(keyset, p, now));
        }
        int replaced = tx.execute(status -> {
            int existing = 0;
            for (int from = 0; from < profiles.size(); from += PAGE) {
                List<Object> ids = new ArrayList<>();
                profiles.subList(from, Math.min(profiles.size(), from + PAGE)).forEach(p -> ids.add(p.userId().value()));
                existing += jdbc.sql("DELETE FROM customers WHERE user_id IN (" + String.join(",", Collections.nCopies(ids.size(), "?")) + ")")
                        .params(ids).update();
            }
            batch.batchUpdate("INSERT INTO customers (user_id, name, email, address, country, vat_id, key_id, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
            return existing;
        });
        return new ImportResult(file, profiles.size(), profiles.size() - replaced, replaced, keyset.primaryKeyId());
    }

    private static Object[] row(EncryptionKeyset keyset, CustomerProfile p, OffsetDateTime now) {
        String user = p.userId().value();
        return new Object[] {user, keyset.encrypt(p.name(), ad("name", user)), keyset.encrypt(p.email(), ad("email", user)),
                keyset.encrypt(p.address(), ad("address", user)), p.country(), keyset.encrypt(p.vatId(), ad("vat_id", user)),
                keyset.primaryKeyId(), now};
    }

    static String ad(String column, String userId) {
        return EncryptionKeyset.associatedData(TABLE, column, userId);
    }

    /**
     * The user's profile, decrypted (in memory only), or empty when the user has none.
     *
     * @throws InputRefusedException when a profile exists and no key set is configured
     * @throws EncryptionKeyset.UndecryptableException when a value does not decrypt (names the user and column)
     */
    public Optional<CustomerProfile> profile(UserId user) {
        return Optional.ofNullable(profiles(List.of(user.value())).get(user.value()));
    }

    /** The profiles of these users that have one, by user id, decrypted (the statements' "Bill to"). */
    public Map<String, CustomerProfile> profiles(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        Map<String, CustomerProfile> found = new HashMap<>();
        List<String> ids = new ArrayList<>(new TreeSet<>(userIds));
        List<Stored> stored = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += PAGE) {
            List<Object> page = new ArrayList<>(ids.subList(from, Math.min(ids.size(), from + PAGE)));
            stored.addAll(jdbc.sql("SELECT user_id, name, email, address, country, vat_id, key_id FROM customers WHERE user_id IN ("
                    + String.join(",", Collections.nCopies(page.size(), "?")) + ")").params(page).query(Customers::stored).list());
        }
        if (stored.isEmpty()) {
            return Map.of();
        }
        EncryptionKeyset keyset = keys.current();
        for (Stored s : stored) {
            found.put(s.userId(), s.decrypt(keyset));
        }
        return found;
    }

    /** When the user's profile was last imported, if it has one (a statement rendered before is stale). */
    public Optional<Instant> updatedAt(String userId) {
        return jdbc.sql("SELECT updated_at FROM customers WHERE user_id = ?").param(userId).query(OffsetDateTime.class).optional()
                .map(OffsetDateTime::toInstant);
    }

    /** Deletes the user's profile (GDPR erase); true when there was one. */
    public boolean delete(UserId user) {
        return jdbc.sql("DELETE FROM customers WHERE user_id = ?").param(user.value()).update() > 0;
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM customers").query(Long.class).single();
    }

    /**
     * Before a job that shows profiles (reports): when any are stored, the configured key set must hold every key
     * that encrypted them. Nothing is decrypted.
     *
     * @throws InputRefusedException naming what is missing: the key set, or the key ids it lacks
     */
    public void checkReadable() {
        List<Long> inUse = keysInUse();
        if (inUse.isEmpty()) {
            return;
        }
        EncryptionKeyset keyset = keys.current();
        List<Long> missing = inUse.stream().filter(k -> !keyset.holds(k)).toList();
        if (!missing.isEmpty()) {
            throw new InputRefusedException("the key set " + keyset.file() + " lacks key(s) " + missing + " that encrypted stored customer "
                    + "profiles (it holds " + keyset.keyIds() + "): configure the key set they were made with (keys rotate keeps every key)");
        }
    }

    /** The ids of the keys the stored profiles are encrypted with. */
    public List<Long> keysInUse() {
        return jdbc.sql("SELECT DISTINCT key_id FROM customers ORDER BY key_id").query(Long.class).list();
    }

    /**
     * {@code keys reencrypt}: every profile not under the primary key is decrypted and encrypted again with it, a page
     * of rows per transaction, in user order. Idempotent and restartable: a row is rewritten only while it is still
     * under an older key (a row imported meanwhile is left as it is), so running it again after a crash does the rest.
     */
    public ReencryptResult reencrypt() {
        EncryptionKeyset keyset = keys.current();
        checkReadable();
        long primary = keyset.primaryKeyId();
        int rewritten = 0;
        String after = "";
        while (true) {
            String from = after;
            List<Stored> page = jdbc.sql("SELECT user_id, name, email, address, country, vat_id, key_id FROM customers "
                    + "WHERE key_id <> ? AND user_id > ? ORDER BY user_id LIMIT " + PAGE).params(primary, from).query(Customers::stored).list();
            if (page.isEmpty()) {
                break;
            }
            rewritten += tx.execute(status -> {
                int n = 0;
                for (Stored s : page) {
                    CustomerProfile p = s.decrypt(keyset);
                    String u = s.userId();
                    n += jdbc.sql("UPDATE customers SET name = ?, email = ?, address = ?, vat_id = ?, key_id = ? WHERE user_id = ? AND key_id = ?")
                            .params(keyset.encrypt(p.name(), ad("name", u)), keyset.encrypt(p.email(), ad("email", u)),
                                    keyset.encrypt(p.address(), ad("address", u)), keyset.encrypt(p.vatId(), ad("vat_id", u)), primary, u, s.keyId())
                            .update();
                }
                return n;
            });
            after = page.get(page.size() - 1).userId();
        }
        int total = (int) count();
        return new ReencryptResult(primary, rewritten, total - rewritten, keysInUse());
    }

    /** A row as stored: ciphertexts. */
    private record Stored(String userId, String name, String email, String address, String country, String vatId, long keyId) {

        CustomerProfile decrypt(EncryptionKeyset keyset) {
            return new CustomerProfile(UserId.parse(userId), keyset.decrypt(name, ad("name", userId)), keyset.decrypt(email, ad("email", userId)),
                    keyset.decrypt(address, ad("address", userId)), country, keyset.decrypt(vatId, ad("vat_id", userId)));
        }
    }

    private static Stored stored(ResultSet rs, int n) throws SQLException {
        return new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7));
    }
}
