package com.acme.billing.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsageLineValidatorTest {

    static final long NOW = Instant.parse("2026-11-05T00:00:00Z").toEpochMilli() * 1000;
    final UsageLineValidator validator = new UsageLineValidator(Set.of("emails_processed", "ai_responses"), NOW);
    static final UsageLine.CsvColumns COLUMNS = new UsageLine.CsvColumns(0, 1, 2, 3, 4);

    StagedLine validate(String raw) {
        return validator.process(UsageLogFormat.csvLine(2, raw, COLUMNS));
    }

    @Test
    void aGoodLineBecomesAnEventInUtcMicroseconds() {
        assertThat(validate("evt-1,2026-10-03T16:22:05.5+02:00,user-42,emails_processed,3")).isEqualTo(new StagedLine.Event(2, "evt-1",
                Instant.parse("2026-10-03T14:22:05.5Z").toEpochMilli() * 1000, 202610, "user-42", "emails_processed", 3));
        // The instant decides the month: 23:30 on 31 October at -01:00 is November in UTC.
        assertThat(((StagedLine.Event) validate("e,2026-10-31T23:30:00-01:00,u,ai_responses,0")).month()).isEqualTo(202611);
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "e,2026-10-03T14:22:05Z,,emails_processed,3|missing_field",
            ",2026-10-03T14:22:05Z,u,emails_processed,3|missing_field",
            "e,,u,emails_processed,3|missing_field",
            "e,2026-10-03T14:22:05Z,u,,3|missing_field",
            "e,2026-10-03T14:22:05Z,u,emails_processed,|missing_field",
            "e,2026-10-03T14:22:05Z,u,emails_processed|missing_field",
            "" + "\u00e9v,2026-10-03T14:22:05Z,u,emails_processed,3|bad_event_id",
            "e,2026-10-03 14:22:05,u,emails_processed,3|bad_timestamp",
            "e,2026-10-03T14:22:05,u,emails_processed,3|bad_timestamp",
            "e,2026-02-29T00:00:00Z,u,emails_processed,3|bad_timestamp",
            "e,2026-10-03T14:22:05.1234567Z,u,emails_processed,3|bad_timestamp",
            "e,2026-11-05T00:05:01Z,u,emails_processed,3|future_timestamp",
            "e,2026-10-03T14:22:05Z,user 1,emails_processed,3|bad_user_id",
            "e,2026-10-03T14:22:05Z,u,leads_created,3|unknown_metric",
            "e,2026-10-03T14:22:05Z,u,emails_processed,-1|bad_quantity",
            "e,2026-10-03T14:22:05Z,u,emails_processed,1000000001|bad_quantity",
            "e,2026-10-03T14:22:05Z,u,emails_processed,1.0|bad_quantity",
            "e,2026-10-03T14:22:05Z,u,\"emails_processed,3|malformed_line"})
    void eachBrokenRuleHasItsReason(String raw, String reason) {
        assertThat(validate(raw)).isEqualTo(new StagedLine.Reject(2, reason, raw));
    }

    /** Hostile ids, each written as a CSV cell (quoted where CSV needs it) in an otherwise good line. */
    @ParameterizedTest
    @ValueSource(strings = {"../../x", "\"a,b\"\"c\"", "\"=HYPERLINK(\"\"http://e\"\")\"", "\"a\nb\"", "a\u0000b", "us\u00e9r", "a/b",
            "a\\b", "a;b", "a\tb"})
    void hostileUserIdsAreBadUserIds(String cell) {
        String raw = "e," + "2026-10-03T14:22:05Z," + cell + ",emails_processed,3";
        assertThat(validate(raw)).isEqualTo(new StagedLine.Reject(2, "bad_user_id", raw));
    }

    @Test
    void aUserIdOfSixtyFourCharactersIsTakenAndOneOf5000IsNot() {
        assertThat(validate("e,2026-10-03T14:22:05Z," + "u".repeat(64) + ",emails_processed,3")).isInstanceOf(StagedLine.Event.class);
        String raw = "e,2026-10-03T14:22:05Z," + "u".repeat(5000) + ",emails_processed,3";
        assertThat(validate(raw)).isEqualTo(new StagedLine.Reject(2, "bad_user_id", raw));
    }

    @Test
    void theEdgesOfTheRulesAreAccepted() {
        assertThat(validate("x".repeat(128) + ",2026-11-05T00:05:00Z,u,emails_processed,1000000000")).isInstanceOf(StagedLine.Event.class);
        assertThat(validate("x".repeat(129) + ",2026-11-05T00:05:00Z,u,emails_processed,1")).isInstanceOf(StagedLine.Reject.class);
        assertThat(validate("\"a,\"\"quoted\"\" id\",2026-10-01T00:00:00Z,A.b_c:d@e-F," + "emails_processed,0"))
                .isEqualTo(new StagedLine.Event(2, "a,\"quoted\" id", Instant.parse("2026-10-01T00:00:00Z").toEpochMilli() * 1000, 202610,
                        "A.b_c:d@e-F", "emails_processed", 0));
    }
}
