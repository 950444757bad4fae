package com.acme.billing.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"u", "user-000042", "A.b_c:d@e-F", "alice@example.com", "tenant:42:user_7", "0", "..", "-", "@"})
    void goodIdsAreTakenAsTheyAre(String text) {
        assertThat(UserId.parse(text).value()).isEqualTo(text);
        assertThat(UserId.problem(text)).isEmpty();
        assertThat(UserId.isValid(text)).isTrue();
    }

    @Test
    void sixtyFourCharactersIsTheLongestId() {
        assertThat(UserId.parse("x".repeat(64)).value()).hasSize(64);
        assertThat(UserId.problem("x".repeat(65))).contains("65 characters, at most 64");
    }

    static Stream<Arguments> hostileIds() {
        return Stream.of(
                Arguments.of("../../x", "character '/' (U+002F) at position 3 is not allowed"),
                Arguments.of("a,b\"c", "character ',' (U+002C) at position 2 is not allowed"),
                Arguments.of("=HYPERLINK(\"http://e\")", "character '=' (U+003D) at position 1 is not allowed"),
                Arguments.of("", "empty"),
                Arguments.of(null, "empty"),
                Arguments.of("x".repeat(5000), "5000 characters, at most 64"),
                Arguments.of("user\n1", "character U+000A at position 5 is not allowed"),
                Arguments.of("user\u00001", "character U+0000 at position 5 is not allowed"),
                Arguments.of("user 1", "character U+0020 at position 5 is not allowed"),
                Arguments.of(" user", "character U+0020 at position 1 is not allowed"),
                Arguments.of("us\u00e9r", "character U+00E9 at position 3 is not allowed"),
                Arguments.of("a\\b", "character '\\' (U+005C) at position 2 is not allowed"),
                Arguments.of("a;DROP TABLE", "character ';' (U+003B) at position 2 is not allowed"));
    }

    @ParameterizedTest
    @MethodSource("hostileIds")
    void hostileIdsAreRefusedWithTheReason(String text, String reason) {
        assertThat(UserId.problem(text)).contains(reason);
        assertThat(UserId.isValid(text)).isFalse();
        assertThatThrownBy(() -> UserId.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith(": " + reason + " (1-64 characters of [A-Za-z0-9._:@-])");
        assertThatThrownBy(() -> new UserId(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messagesQuoteAnIdWithoutItsControlCharactersAndCutLongOnes() {
        assertThatThrownBy(() -> UserId.parse("a\nb\u0000'c")).hasMessage(
                "bad user id 'a\\u000ab\\u0000\\u0027c': character U+000A at position 2 is not allowed (1-64 characters of [A-Za-z0-9._:@-])");
        assertThat(UserId.quote("y".repeat(5000))).isEqualTo("'" + "y".repeat(80) + "'... (5000 characters)");
        assertThat(UserId.quote(null)).isEqualTo("(none)");
    }

    @Test
    void anIdIsEqualToAnotherOfTheSameTextAndPrintsAsItsText() {
        assertThat(UserId.parse("user-1")).isEqualTo(new UserId("user-1")).hasToString("user-1");
    }
}
