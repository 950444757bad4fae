package com.acme.billing.platform.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The product's CSV dialect: RFC 4180 quoting, and no cell a spreadsheet would evaluate (OWASP CSV injection). */
class CsvFilesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"=1+2", "=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "-", "+", "@SUM(A1:A2)", "\t=1", "\r=1", "-1,5",
            "--1", "-1e", "+ 1", "-user-1", "@user"})
    void formulaLeadsGetASingleQuote(String cell) {
        assertThat(SafeCell.of(cell)).isEqualTo("'" + cell);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-12.50", "-0.000001", "+3", "-7", "0", "12.50", "-.5", "1e-7", "-2.5E+3", "user-1", "emails_processed",
            "a=b", "2026-10-01T00:00:00Z", "'=already", " =1", "", "true"})
    void numbersAndPlainTextAreKept(String cell) {
        assertThat(SafeCell.of(cell)).isEqualTo(cell);
    }

    @Test
    void nullStaysNull() {
        assertThat(SafeCell.of(null)).isNull();
    }

    static Stream<Arguments> cellsAndHowTheyAreWritten() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("a,b", "\"a,b\""),
                Arguments.of("say \"hi\"", "\"say \"\"hi\"\"\""),
                Arguments.of("two\nlines", "\"two\nlines\""),
                Arguments.of("cr\rhere", "\"cr\rhere\""),
                Arguments.of("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
                Arguments.of("-12.50", "-12.50"),
                Arguments.of("-1+2,3", "\"'-1+2,3\""));
    }

    @ParameterizedTest
    @MethodSource("cellsAndHowTheyAreWritten")
    void cellsAreQuotedOnlyWhereRfc4180NeedsIt(String cell, String written) throws IOException {
        StringWriter out = new StringWriter();
        try (SafeCsvWriter csv = CsvFiles.writer(out, CsvFiles.CRLF)) {
            csv.row("1", cell, "x");
            csv.failOnError();
        }
        assertThat(out.toString()).isEqualTo("1," + written + ",x\r\n");
    }

    @Test
    void writeNextOfOpenCsvIsNeutralizedToo() throws IOException {
        StringWriter out = new StringWriter();
        try (SafeCsvWriter csv = CsvFiles.writer(out, CsvFiles.LF)) {
            csv.writeNext(new String[] {"@x", null, "-5"});
            csv.writeAll(java.util.List.<String[]>of(new String[] {"+x"}), false);
        }
        assertThat(out.toString()).isEqualTo("\"'@x\",,\"-5\"\n'+x\n");
    }

    @Test
    void writesTheWholeFileAtomicallyWithTheGivenLineEnd() throws IOException {
        Path target = tmp.resolve("dir/out.csv");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old content");

        Path written = CsvFiles.writeAtomically(target, CsvFiles.CRLF, csv -> {
            csv.row("user_id", "amount", "note");
            csv.row("=cmd|' /C calc'!A0", "-12.50", "héllo, \"world\"");
        });

        assertThat(written).isEqualTo(target);
        assertThat(new String(Files.readAllBytes(target), StandardCharsets.UTF_8)).isEqualTo(
                "user_id,amount,note\r\n'=cmd|' /C calc'!A0,-12.50,\"héllo, \"\"world\"\"\"\r\n");
        try (var listing = Files.list(target.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("out.csv");
        }
    }
}
