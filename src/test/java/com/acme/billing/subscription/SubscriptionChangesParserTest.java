package com.acme.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.CatalogParser;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.user.UserId;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC 4's file, read against the sample catalog: any bad line refuses the whole file, naming the line. */
class SubscriptionChangesParserTest {

    static final Catalog CATALOG = catalog();
    static final String HEADER = "user_id,effective_at,action,tier,stripe_customer_id\n";

    static Catalog catalog() {
        try {
            return CatalogParser.parse(Files.readString(Path.of("sample-data/catalog.yaml")), "catalog.yaml");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<SubscriptionChange> parse(String body) {
        return SubscriptionChangesParser.parse(new StringReader(HEADER + body), "subs.csv", CATALOG);
    }

    @Test
    void goodLinesBecomeChangesOfTypedUsers() {
        assertThat(parse("""
                user-000042,2026-10-01T00:00:00Z,trial,starter,cus_Q1
                A.b_c:d@e-F,2026-10-20T14:00:00+02:00,subscribe,pro,
                """)).containsExactly(
                new SubscriptionChange(new UserId("user-000042"), Instant.parse("2026-10-01T00:00:00Z"), SubscriptionAction.TRIAL, "starter",
                        "cus_Q1", Instant.parse("2026-10-15T00:00:00Z"), 2, "subs.csv:2"),
                new SubscriptionChange(new UserId("A.b_c:d@e-F"), Instant.parse("2026-10-20T12:00:00Z"), SubscriptionAction.SUBSCRIBE, "pro",
                        null, null, 3, "subs.csv:3"));
    }

    /** Each hostile id, as a CSV cell, and the reason the refusal gives for it. */
    static Stream<Arguments> hostileIds() {
        return Stream.of(
                Arguments.of("../../x", "bad user_id '../../x': character '/' (U+002F) at position 3 is not allowed"),
                Arguments.of("\"a,b\"\"c\"", "bad user_id 'a,b\"c': character ',' (U+002C) at position 2 is not allowed"),
                Arguments.of("\"=HYPERLINK(\"\"http://e\"\")\"",
                        "bad user_id '=HYPERLINK(\"http://e\")': character '=' (U+003D) at position 1 is not allowed"),
                Arguments.of("", "bad user_id '': empty"),
                Arguments.of("x".repeat(5000), "bad user_id '" + "x".repeat(80) + "'... (5000 characters): 5000 characters, at most 64"),
                Arguments.of("\"a\nb\"", "bad user_id 'a\\u000ab': character U+000A at position 2 is not allowed"),
                Arguments.of("a\u0000b", "bad user_id 'a\\u0000b': character U+0000 at position 2 is not allowed"));
    }

    @ParameterizedTest
    @MethodSource("hostileIds")
    void aHostileUserIdRefusesTheWholeFileNamingItsLine(String cell, String reason) {
        assertThatThrownBy(() -> parse("alice,2026-10-01T00:00:00Z,subscribe,starter,\n" + cell + ",2026-10-02T00:00:00Z,subscribe,starter,\n"
                + "bob,2026-10-03T00:00:00Z,subscribe,starter,\n"))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("subs.csv: 1 bad line(s), nothing imported:\n  line 3: " + reason + " (1-64 characters of [A-Za-z0-9._:@-])");
    }

    @Test
    void anInstantWithAFractionOfASecondRefusesTheWholeFileNamingItsLine() {
        assertThatThrownBy(() -> parse("""
                alice,2026-10-01T00:00:00Z,subscribe,starter,
                alice,2026-10-20T12:00:00.5Z,change,pro,
                bob,2026-10-20T12:00:00.000001+02:00,subscribe,pro,
                """))
                .isInstanceOf(InputRefusedException.class)
                .hasMessage("subs.csv: 2 bad line(s), nothing imported:\n"
                        + "  line 3: effective_at '2026-10-20T12:00:00.5Z' has a fraction of a second (whole seconds only)\n"
                        + "  line 4: effective_at '2026-10-20T12:00:00.000001+02:00' has a fraction of a second (whole seconds only)");
    }

    @Test
    void aZeroFractionIsAWholeSecond() {
        assertThat(parse("alice,2026-10-20T12:00:00.000Z,subscribe,starter,\n")).singleElement()
                .satisfies(c -> assertThat(c.effectiveAt()).isEqualTo(Instant.parse("2026-10-20T12:00:00Z")));
    }
}
