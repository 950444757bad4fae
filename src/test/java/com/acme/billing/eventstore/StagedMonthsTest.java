package com.acme.billing.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedMonthsTest {

    @TempDir
    Path tmp;

    @Test
    void theMonthsOfEveryRowWhateverTheIdHolds() throws IOException {
        Path staged = write("""
                2,plain,1790000000000000,202610,u1,emails_processed,1
                3,"a,b",1790000000000000,202611,u1,emails_processed,1
                4,"say ""hi"", 202699",1790000000000000,202512,u1,emails_processed,1
                5,\"\"\"\",1790000000000000,202610,u1,emails_processed,1
                """);

        assertThat(StagedMonths.of(staged)).containsExactly(202512, 202610, 202611);
    }

    @Test
    void anEmptyFileHasNoMonths() throws IOException {
        assertThat(StagedMonths.of(write(""))).isEmpty();
    }

    @Test
    void aRowCutShortIsRefusedNamingTheFileAndRow() throws IOException {
        Path staged = write("2,a,1,202610,u1,m,1\n3,b,1\n");
        assertThatThrownBy(() -> StagedMonths.of(staged)).isInstanceOf(IOException.class)
                .hasMessage(staged + " row 2: 3 fields, not a staged event row");
        Path unfinished = write("2,a,1,202610,u1,m,1\n3,\"b,1,202610");
        assertThatThrownBy(() -> StagedMonths.of(unfinished)).isInstanceOf(IOException.class)
                .hasMessage(unfinished + " ends inside row 2: a staged file ends with a complete row");
        Path notANumber = write("2,a,1,2026x0,u1,m,1\n");
        assertThatThrownBy(() -> StagedMonths.of(notANumber)).isInstanceOf(IOException.class)
                .hasMessage(notANumber + " row 1: the month is not a number");
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(tmp, "staged", ".csv");
        return Files.writeString(file, content);
    }
}
