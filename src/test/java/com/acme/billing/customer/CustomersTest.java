package com.acme.billing.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
import com.acme.billing.support.PdfText;
import com.acme.billing.support.TestDatabase;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig2026;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC 11, customers and encryption, on H2 and PostgreSQL: import-customers (exact rows, refusals), values that
 * decrypt with the key set and only in their own row and column, statements' "Bill to", no plaintext in the
 * database files, the table's raw text or the logs, and keys rotate then reencrypt. One fixture per database: the
 * October of the CLI tests, a key set outside BILLING_HOME, alice and bob imported, October closed and reported;
 * the tests run in order (the last ones change profiles and keys).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomersTest {

    static final String CUSTOMERS = """
            user_id,name,email,address,country,vat_id
            alice,Alice Example,alice.example@mail.example,"Hauptstrasse 5
            10115 Berlin",DE,DE123456789
            bob , Robert Builder ,bob@builders.example,"  1 Main Street

              Springfield IL 62701  ",us,
            """;

    /** Every plaintext the tests import: none may reach the database files, the logs or the table's raw text. */
    static final List<String> PLAINTEXTS = List.of("Alice Example", "alice.example@mail.example", "Hauptstrasse 5", "10115 Berlin",
            "DE123456789", "Robert Builder", "bob@builders.example", "1 Main Street", "Springfield IL 62701", "Alice Moved",
            "Lindenallee 9", "Robert Builder Jr");

    @TempDir
    static Path tmpRoot;

    @Parameter
    TestDatabase.Kind kind;

    Path tmp;
    Path keyset;
    TestDatabase db;
    Cli noKeys;
    Cli cli;
    Cli.Result refusedWithoutKeys;
    Map<String, Object> created;
    Map<String, Object> imported;
    Path reports;

    @BeforeParameterizedClassInvocation
    void fixture() throws Exception {
        tmp = Files.createDirectories(tmpRoot.resolve(kind.name()));
        db = TestDatabase.create(kind, tmp.resolve("home"));
        noKeys = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
        October.withUsage(noKeys, tmp, """
                a1,2026-10-05T00:00:00Z,alice,emails_processed,6000
                c1,2026-10-03T00:00:00Z,carol,ai_responses,9000
                """);
        Files.writeString(tmp.resolve("customers.csv"), CUSTOMERS);
        refusedWithoutKeys = noKeys.run("import-customers", tmp.resolve("customers.csv").toString());
        keyset = tmp.resolve("secrets").resolve("billing-keyset.json");
        created = noKeys.ok("keys", "create", keyset.toString(), "--json").json();
        cli = noKeys.with("BILLING_ENCRYPTION_KEYSET", keyset.toString());
        imported = cli.ok("import-customers", tmp.resolve("customers.csv").toString(), "--json").json();
        cli.ok("close-period", "--period", "2026-10");
        reports = Path.of((String) cli.ok("reports", "--period", "2026-10", "--json").json().get("dir"));
    }

    @AfterParameterizedClassInvocation
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void importStoresExactlyTheProfilesEncryptedUnderTheKeySetsPrimaryKey() throws Exception {
        long key = ((Number) created.get("primary_key_id")).longValue();
        assertThat(created).containsOnlyKeys("file", "primary_key_id", "key_ids").containsEntry("file", keyset.toString());
        assertThat(longs(created.get("key_ids"))).containsExactly(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset))).isEqualTo("rw-------");
        assertThat(Files.readString(keyset)).contains("\"primaryKeyId\"");
        assertThat(imported).isEqualTo(Map.of("file", tmp.resolve("customers.csv").toString(), "customers", 2, "added", 2, "replaced", 0,
                "key_id", created.get("primary_key_id")));

        assertThat(rows()).containsExactly(
                List.of("alice", "DE", key, "Alice Example", "alice.example@mail.example", "Hauptstrasse 5\n10115 Berlin", "DE123456789"),
                List.of("bob", "US", key, "Robert Builder", "bob@builders.example", "1 Main Street\nSpringfield IL 62701", ""));
        // Each stored value is a Tink ciphertext (base64) that names the key it was made with.
        for (Map<String, Object> row : db.jdbc().queryForList("SELECT name, email, address, vat_id FROM customers")) {
            for (Object value : row.values()) {
                assertThat(EncryptionKeyset.keyIdOf((String) value)).isEqualTo(key);
            }
        }
    }

    @Test
    @Order(2)
    void badFilesAndMissingKeysAreRefusedWithExitTwoNamingFileLineAndReasonAndNothingChanges() throws Exception {
        List<List<Object>> before = rows();
        assertThat(refusedWithoutKeys.exit()).isEqualTo(2);
        assertThat(refusedWithoutKeys.err()).isEqualTo("billing: no encryption key set is configured, and customer profiles are stored "
                + "encrypted: make one with 'jobs/billing keys create FILE' (keep it out of BILLING_HOME and of the database's backups), "
                + "then set BILLING_ENCRYPTION_KEYSET=FILE\n");

        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, """
                user_id,name,email,address,country,vat_id
                dave,Dave Doe,dave@example.com,Elm Road 1,GB,
                ../x,Eve,eve@example.com,,FR,
                erin,,erin@example.com,,FR,
                frank,Frank Fine,not-an-address,,FR,
                gina,Gina Good,gina@example.com,,XX,
                hal,Hal Hat,hal@example.com,,de,DE 123/456
                ivan,Ivan Card,ivan@example.com,"Card 4111 1111 1111 1111",US,
                dave,Dave Again,dave2@example.com,,GB,
                jo,Jo Vat,jo@example.com,,NL,!!
                kim,Kim Long,kim@example.com,"1
                2
                3
                4
                5",NL,
                """);
        Cli.Result refused = cli.run("import-customers", bad.toString(), "--json");
        assertThat(refused.exit()).isEqualTo(2);
        String f = bad.toString();
        String message = f + ": 8 bad line(s), nothing imported:\n"
                + "  " + f + ": line 3: bad user_id '../x': character '/' (U+002F) at position 3 is not allowed (1-64 characters of [A-Za-z0-9._:@-])\n"
                + "  " + f + ": line 4: name is empty\n"
                + "  " + f + ": line 5: email is not an e-mail address (one @, a dot in the domain, no spaces, at most 254 characters)\n"
                + "  " + f + ": line 6: bad country 'XX' (an ISO 3166-1 alpha-2 code such as DE, FR or US)\n"
                + "  " + f + ": line 8: address holds what looks like a payment card number: card data is never stored (Stripe holds it)\n"
                + "  " + f + ": line 9: user_id 'dave' again (first on line 2)\n"
                + "  " + f + ": line 10: vat_id is not a VAT id (2 to 32 letters, digits, spaces, '.', '/' or '-', starting with a letter or digit), "
                + "or leave it empty\n"
                + "  " + f + ": line 11: address has 5 lines, at most 4";
        assertThat(refused.err()).isEqualTo("billing: " + message + "\n");
        assertThat(refused.json()).isEqualTo(Map.of("error", message));
        // Reasons never repeat personal data.
        assertThat(refused.err()).doesNotContain("not-an-address").doesNotContain("4111").doesNotContain("Dave");

        Files.writeString(bad, "user_id,name,email,address,country,vat_id,card_number\nzed,Zed,zed@example.com,,US,,4111111111111111\n");
        assertThat(cli.run("import-customers", bad.toString()).err()).isEqualTo("billing: " + f + ": line 1: header must be "
                + "user_id,name,email,address,country,vat_id; unknown column(s) 'card_number' (nothing is stored that billing does not need; "
                + "card data never: Stripe holds it)\n");
        Files.writeString(bad, "user_id,name,email\nzed,Zed,zed@example.com\n");
        assertThat(cli.run("import-customers", bad.toString()).err()).isEqualTo("billing: " + f + ": line 1: header must be "
                + "user_id,name,email,address,country,vat_id; missing address, country, vat_id\n");
        Files.writeString(bad, "user_id,name,email,address,country,vat_id\nzed,\"Zed,zed@example.com,,US,\n");
        assertThat(cli.run("import-customers", bad.toString()).err())
                .isEqualTo("billing: " + f + ": line 2: not readable as CSV (a quote left open?), nothing imported\n");

        Cli.Result overwrite = cli.run("keys", "create", keyset.toString());
        assertThat(overwrite.exit()).isEqualTo(2);
        assertThat(overwrite.err()).isEqualTo("billing: " + keyset + " exists: keys create never overwrites a key set (stored values may "
                + "need it); keys rotate adds a new key to the configured one\n");
        for (String[] args : new String[][] {{"keys", "rotate"}, {"keys", "reencrypt"}, {"reports", "--period", "2026-10"}}) {
            Cli.Result result = noKeys.run(args);
            assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.err()).as(String.join(" ", args)).startsWith("billing: no encryption key set is configured")
                    .contains("make one with 'jobs/billing keys create FILE'");
        }
        assertThat(noKeys.run("keys", "rotate", "extra").err()).contains("Unmatched argument").contains("'extra'");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void statementsShowTheProfileUnderBillToAndTheUserIdWithoutOne() throws Exception {
        assertThat(pdf("alice")).contains(" Bill to Alice Example Hauptstrasse 5 10115 Berlin Germany VAT ID DE123456789 "
                + "Account alice · Stripe customer cus_A Amount of this statement 33.00 USD ");
        assertThat(pdf("bob")).contains(" Bill to Robert Builder 1 Main Street Springfield IL 62701 United States Account bob "
                + "Amount of this statement ");
        assertThat(pdf("carol")).contains(" Bill to carol Amount of this statement ");
        assertThat(pdf("alice") + pdf("bob")).doesNotContain("bob@builders.example").doesNotContain("alice.example@mail.example");
    }

    @Test
    @Order(4)
    void noPlaintextInTheDatabaseFilesTheLogsOrTheTablesRawText() throws Exception {
        assertNoPlaintextStored();
    }

    @Test
    @Order(5)
    void aReimportReplacesTheUsersProfileAndTheNextStatementsShowIt() throws Exception {
        Files.writeString(tmp.resolve("alice.csv"), "user_id,name,email,address,country,vat_id\n"
                + "alice,Alice Moved,alice.example@mail.example,Lindenallee 9,AT,\n");
        assertThat(cli.ok("import-customers", tmp.resolve("alice.csv").toString(), "--json").json()).containsEntry("customers", 1)
                .containsEntry("added", 0).containsEntry("replaced", 1);
        assertThat(rows().get(0)).containsExactly("alice", "AT", ((Number) created.get("primary_key_id")).longValue(), "Alice Moved",
                "alice.example@mail.example", "Lindenallee 9", "");
        cli.ok("reports", "--period", "2026-10");
        assertThat(pdf("alice")).contains(" Bill to Alice Moved Lindenallee 9 Austria Account alice · Stripe customer cus_A Amount of this statement ")
                .doesNotContain("VAT ID");
        assertNoPlaintextStored();
    }

    @Test
    @Order(6)
    void aCiphertextCopiedIntoAnotherUsersRowDoesNotDecrypt() throws Exception {
        String bobs = db.jdbc().queryForObject("SELECT name FROM customers WHERE user_id = 'bob'", String.class);
        String alices = db.jdbc().queryForObject("SELECT name FROM customers WHERE user_id = 'alice'", String.class);
        assertThatThrownBy(() -> decrypt(keyset, alices, "customers|name|bob")).isInstanceOf(GeneralSecurityException.class);
        db.jdbc().update("UPDATE customers SET name = ? WHERE user_id = 'bob'", alices);
        try {
            Cli.Result failed = cli.run("reports", "--period", "2026-10");
            assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
            assertThat(failed.err()).contains("customers|name|bob: fails authentication with key " + created.get("primary_key_id")
                    + ": the value was altered, or copied from another row or column (its associated data differs)")
                    .doesNotContain("Alice");
        } finally {
            db.jdbc().update("UPDATE customers SET name = ? WHERE user_id = 'bob'", bobs);
        }
    }

    @Test
    @Order(7)
    void rotateAddsAPrimaryKeyAndReencryptMovesEveryValueUnderIt() throws Exception {
        long first = ((Number) created.get("primary_key_id")).longValue();
        Path old = tmp.resolve("old-keyset.json");
        Files.copy(keyset, old);

        Map<String, Object> rotated = cli.ok("keys", "rotate", "--json").json();
        long second = ((Number) rotated.get("primary_key_id")).longValue();
        assertThat(second).isNotEqualTo(first);
        assertThat(rotated).containsOnlyKeys("file", "primary_key_id", "previous_primary_key_id", "key_ids")
                .containsEntry("file", keyset.toString()).containsEntry("previous_primary_key_id", created.get("primary_key_id"));
        assertThat(longs(rotated.get("key_ids"))).containsExactly(first, second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyset))).isEqualTo("rw-------");

        // New writes use the new key; the old values stay readable.
        Files.writeString(tmp.resolve("bob.csv"), "user_id,name,email,address,country,vat_id\nbob,Robert Builder Jr,bob@builders.example,,US,\n");
        assertThat(cli.ok("import-customers", tmp.resolve("bob.csv").toString(), "--json").json()).containsEntry("key_id", rotated.get("primary_key_id"));
        assertThat(rows()).containsExactly(List.of("alice", "AT", first, "Alice Moved", "alice.example@mail.example", "Lindenallee 9", ""),
                List.of("bob", "US", second, "Robert Builder Jr", "bob@builders.example", "", ""));
        String newName = db.jdbc().queryForObject("SELECT name FROM customers WHERE user_id = 'bob'", String.class);
        assertThatThrownBy(() -> decrypt(old, newName, "customers|name|bob")).isInstanceOf(GeneralSecurityException.class);
        Cli.Result withOld = cli.with("BILLING_ENCRYPTION_KEYSET", old.toString()).run("keys", "reencrypt");
        assertThat(withOld.exit()).isEqualTo(2);
        assertThat(withOld.err()).isEqualTo("billing: the key set " + old + " lacks key(s) [" + second + "] that encrypted stored customer "
                + "profiles (it holds [" + first + "]): configure the key set they were made with (keys rotate keeps every key)\n");

        Cli.Result reencrypted = cli.ok("keys", "reencrypt", "--json");
        assertThat(reencrypted.json()).containsOnlyKeys("file", "primary_key_id", "rewritten", "already_current", "keys_in_use")
                .containsEntry("file", keyset.toString()).containsEntry("primary_key_id", rotated.get("primary_key_id"))
                .containsEntry("rewritten", 1).containsEntry("already_current", 1);
        assertThat(longs(reencrypted.json().get("keys_in_use"))).containsExactly(second);
        assertThat(reencrypted.out()).contains("the database no longer needs key(s) [" + first + "] (backups made before may still need them)");
        assertThat(rows()).containsExactly(List.of("alice", "AT", second, "Alice Moved", "alice.example@mail.example", "Lindenallee 9", ""),
                List.of("bob", "US", second, "Robert Builder Jr", "bob@builders.example", "", ""));
        for (Map<String, Object> row : db.jdbc().queryForList("SELECT user_id, name, email, address, vat_id FROM customers")) {
            String user = (String) row.get("user_id");
            for (String column : List.of("name", "email", "address", "vat_id")) {
                String value = (String) row.get(column);
                assertThat(EncryptionKeyset.keyIdOf(value)).as(user + " " + column).isEqualTo(second);
                assertThatThrownBy(() -> decrypt(old, value, "customers|" + column + "|" + user)).isInstanceOf(GeneralSecurityException.class);
            }
        }
        // Again: nothing left to do.
        assertThat(cli.ok("keys", "reencrypt", "--json").json()).containsEntry("rewritten", 0).containsEntry("already_current", 2);
        assertNoPlaintextStored();
    }

    /** user_id, country, key_id, then name, e-mail, address and VAT id decrypted here with Tink itself, ordered by user. */
    List<List<Object>> rows() throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : db.jdbc().queryForList("SELECT user_id, country, key_id, name, email, address, vat_id FROM customers ORDER BY user_id")) {
            Map<String, Object> r = new LinkedHashMap<>();
            row.forEach((k, v) -> r.put(k.toLowerCase(), v));
            String user = (String) r.get("user_id");
            List<Object> values = new ArrayList<>(List.of(user, r.get("country"), ((Number) r.get("key_id")).longValue()));
            for (String column : List.of("name", "email", "address", "vat_id")) {
                values.add(decrypt(keyset, (String) r.get(column), "customers|" + column + "|" + user));
            }
            rows.add(values);
        }
        return rows;
    }

    /** JSON numbers as longs (a key id below 2^31 reads as an Integer). */
    static List<Long> longs(Object list) {
        return ((List<?>) list).stream().map(n -> ((Number) n).longValue()).toList();
    }

    static String decrypt(Path keysetFile, String base64, String associatedData) throws Exception {
        Aead aead = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(keysetFile), AeadConfig2026.get(), InsecureSecretKeyAccess.get())
                .getPrimitive(AeadConfig2026.get(), Aead.class);
        return new String(aead.decrypt(Base64.getDecoder().decode(base64), associatedData.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    String pdf(String user) throws Exception {
        return PdfText.of(reports.resolve("invoices").resolve("INV-2026-10-" + user + ".pdf"));
    }

    /**
     * Every file under BILLING_HOME but the rendered reports (the H2 database, the DuckDB event store, the logs, ...)
     * byte by byte, and on PostgreSQL every row of every table as text: no plaintext of a profile anywhere. The
     * Stripe customer id cus_A, stored in clear, is found in both, which shows that the search can see stored text.
     */
    void assertNoPlaintextStored() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(db.home())) {
            files = walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(db.home().resolve("reports"))).toList();
        }
        StringBuilder stored = new StringBuilder();
        for (Path file : files) {
            stored.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
        }
        assertThat(files).anyMatch(p -> p.toString().endsWith("billing.log"));
        if (kind == TestDatabase.Kind.POSTGRES) {
            for (String table : db.jdbc().queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                    + "AND table_type = 'BASE TABLE'", String.class)) {
                db.jdbc().queryForList("SELECT t::text FROM \"" + table + "\" t", String.class).forEach(row -> stored.append(row).append('\n'));
            }
        } else {
            assertThat(files).anyMatch(p -> p.toString().endsWith(".mv.db"));
        }
        String all = stored.toString();
        assertThat(all).contains("cus_A");
        for (String plaintext : PLAINTEXTS) {
            assertThat(all).as("plaintext '%s' stored", plaintext).doesNotContain(plaintext);
        }
    }
}
