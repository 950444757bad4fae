package com.acme.billing.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Cli;
import com.acme.billing.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code import-catalog} of a price the NUMERIC(19, 6) columns would round: exit 2 naming the key, nothing stored. */
@ParameterizedClass
@EnumSource(TestDatabase.Kind.class)
class ImportCatalogPrecisionTest {

    @Parameter
    TestDatabase.Kind kind;

    @TempDir
    Path tmp;

    TestDatabase db;
    Cli cli;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", "2026-11-04T00:00:00Z");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void aSeventhDecimalIsRefusedWithExit2AndNothingIsStored() throws Exception {
        Path file = tmp.resolve("catalog.yaml");
        Files.writeString(file, Files.readString(Path.of("sample-data/catalog.yaml")).replace("\"0.004\"", "\"0.0000001\""));

        Cli.Result result = cli.run("import-catalog", file.toString());

        assertThat(result.exit()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("catalog refused, nothing imported")
                .contains("tiers.starter.overage.emails_processed.unit_price: '0.0000001' has 7 decimals; a price has at most 6");
        for (String table : new String[] {"catalog_versions", "tiers", "tier_limits", "overage_rules", "overage_bands", "feature_access"}) {
            assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM " + table, Long.class)).as(table).isZero();
        }
    }
}
