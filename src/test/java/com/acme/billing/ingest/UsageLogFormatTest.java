package com.acme.billing.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Splitting a usage log's lines into the five fields: CSV (RFC 4180 within one line) and JSON Lines. */
class UsageLogFormatTest {

    static final UsageLine.CsvColumns IN_ORDER = new UsageLine.CsvColumns(0, 1, 2, 3, 4);

    /** {@code |} separates the expected fields; {@code <null>} is a line that cannot be split. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '~', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false, value = {
            "a,b,c~a|b|c",
            "a,,c,~a||c|",
            "\"a,b\",c~a,b|c",
            "\"say \"\"hi\"\"\",x~say \"hi\"|x",
            "  \"quoted after spaces\"  ,x~quoted after spaces  |x",
            "\"\"~",
            "\"open,x~<null>",
            "a\"b,c~<null>",
            "\"a\"b,c~<null>"})
    void splitsOneLineAsRfc4180(String line, String expected) {
        List<String> fields = UsageLogFormat.splitCsv(line);
        if ("<null>".equals(expected)) {
            assertThat(fields).isNull();
        } else {
            assertThat(fields).containsExactlyElementsOf(Arrays.asList((expected == null ? "" : expected).split("\\|", -1)));
        }
    }

    @Test
    void theHeaderFindsTheColumnsInAnyOrderAndIgnoresOthers() {
        UsageLine.CsvColumns columns = UsageLogFormat.csvColumns("\uFEFFQuantity, region ,metric,user_id,timestamp,event_id");
        assertThat(columns).isEqualTo(new UsageLine.CsvColumns(5, 4, 3, 2, 0));
        assertThat(UsageLogFormat.csvLine(7, "3,eu,ai_responses,u-1,2026-10-03T14:22:05Z,e-1", columns))
                .isEqualTo(UsageLine.of(7, "3,eu,ai_responses,u-1,2026-10-03T14:22:05Z,e-1",
                        new UsageLine.Fields("e-1", "2026-10-03T14:22:05Z", "u-1", "ai_responses", "3")));
        assertThat(UsageLogFormat.csvColumns("event_id,timestamp,user_id,metric")).isNull();
        assertThat(UsageLogFormat.missingCsvColumns("event_id,timestamp,user,metric")).containsExactly("user_id", "quantity");
    }

    @Test
    void quotedAndUnquotedLinesGiveTheSameFieldsTrimmed() {
        UsageLine.Fields expected = new UsageLine.Fields("e-1", "2026-10-03T14:22:05Z", "u-1", "emails_processed", "3");
        assertThat(UsageLogFormat.csvLine(2, " e-1 ,2026-10-03T14:22:05Z,u-1,emails_processed, 3", IN_ORDER).fields()).isEqualTo(expected);
        assertThat(UsageLogFormat.csvLine(2, "\"e-1\",\"2026-10-03T14:22:05Z\",u-1,\"emails_processed\",3", IN_ORDER).fields())
                .isEqualTo(expected);
    }

    @Test
    void aShortLineHasMissingFieldsAndABrokenOneIsMalformed() {
        assertThat(UsageLogFormat.csvLine(3, "e-1,2026-10-03T14:22:05Z", IN_ORDER).fields())
                .isEqualTo(new UsageLine.Fields("e-1", "2026-10-03T14:22:05Z", null, null, null));
        assertThat(UsageLogFormat.csvLine(4, "e-1,\"2026-10-03,u,m,1", IN_ORDER)).isEqualTo(UsageLine.malformed(4, "e-1,\"2026-10-03,u,m,1",
                "malformed_line"));
        assertThat(UsageLogFormat.csvLine(5, "e-\uFFFD,t,u,m,1", IN_ORDER).malformed()).isEqualTo("bad_encoding");
    }

    @Test
    void jsonLinesKeepNumbersAsWrittenAndStringsTrimmed() {
        String raw = "{\"event_id\":\" e-1 \",\"timestamp\":\"2026-10-03T14:22:05Z\",\"user_id\":\"u-1\",\"metric\":\"ai_responses\","
                + "\"quantity\":3.0,\"extra\":true}";
        assertThat(UsageLogFormat.jsonLine(2, raw).fields())
                .isEqualTo(new UsageLine.Fields("e-1", "2026-10-03T14:22:05Z", "u-1", "ai_responses", "3.0"));
        assertThat(UsageLogFormat.jsonLine(3, "{\"event_id\":null}").fields()).isEqualTo(new UsageLine.Fields(null, null, null, null, null));
        assertThat(UsageLogFormat.jsonLine(4, "[1,2]").malformed()).isEqualTo("malformed_line");
        assertThat(UsageLogFormat.jsonLine(5, "{\"event_id\":").malformed()).isEqualTo("malformed_line");
    }
}
