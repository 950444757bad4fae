package com.acme.billing.catalog.store;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.CatalogParser;

import com.acme.billing.platform.InputRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** {@code import-catalog FILE}: validate the whole file, then store it as a new version in one transaction. */
@Service
public class CatalogImport {

    public record Result(int version, boolean unchanged, Catalog catalog) {
    }

    private final CatalogRepository catalogs;
    private final TransactionTemplate tx;
    private final Clock clock;

    public CatalogImport(CatalogRepository catalogs, TransactionTemplate tx, Clock clock) {
        this.catalogs = catalogs;
        this.tx = tx;
        this.clock = clock;
    }

    public Result importFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputRefusedException(file + ": cannot read: " + e.getMessage());
        }
        Catalog catalog = CatalogParser.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
        String sha = sha256(bytes);
        return tx.execute(status -> {
            var latest = catalogs.latest();
            if (latest.isPresent() && latest.get().sha256().equals(sha)) {
                return new Result(latest.get().version(), true, latest.get().catalog());
            }
            if (latest.isPresent()) {
                for (String metric : latest.get().catalog().metrics()) {
                    if (!catalog.hasMetric(metric)) {
                        // Stored events and usage rows of that metric would lose their prices and limits.
                        throw new InputRefusedException(file + ": metrics: '" + metric
                                + "' is in the current catalog and may have usage; a new version may add metrics, not remove them");
                    }
                }
            }
            int version = catalogs.save(catalog, sha, file.toString(), clock.instant());
            return new Result(version, false, catalog);
        });
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
