package com.acme.billing.customer;

import com.acme.billing.platform.InputRefusedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The configured key set ({@code billing.encryption.keyset}, from {@code BILLING_ENCRYPTION_KEYSET}): read on first
 * use, and again whenever the file changed since (a long-running {@code serve} sees a {@code keys rotate} made by
 * another process at its next use). Commands that never touch an encrypted value never need it.
 */
@Component
public class EncryptionKeys {

    /** What a refusal says when no key set is configured: how to make one. */
    public static final String HOW_TO = "make one with 'jobs/billing keys create FILE' (keep it out of BILLING_HOME and of the "
            + "database's backups), then set BILLING_ENCRYPTION_KEYSET=FILE";

    private static final Logger log = LoggerFactory.getLogger(EncryptionKeys.class);

    private record Loaded(EncryptionKeyset keyset, FileTime modified, long size) {
    }

    private final Path file;
    private Loaded loaded;

    public EncryptionKeys(@Value("${billing.encryption.keyset:}") String file) {
        this.file = file == null || file.isBlank() ? null : Path.of(file).toAbsolutePath().normalize();
    }

    /** The configured key-set file, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The key set, read from the configured file (again when it changed).
     *
     * @throws InputRefusedException when none is configured (saying how to make one) or the file is not a usable key set
     */
    public synchronized EncryptionKeyset current() {
        if (file == null) {
            throw new InputRefusedException("no encryption key set is configured, and customer profiles are stored encrypted: " + HOW_TO);
        }
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (IOException e) {
            throw new InputRefusedException("key set " + file + " (BILLING_ENCRYPTION_KEYSET) does not exist or cannot be read; " + HOW_TO);
        }
        if (loaded == null || !loaded.modified().equals(modified) || loaded.size() != size) {
            EncryptionKeyset keyset = EncryptionKeyset.read(file);
            if (EncryptionKeyset.readableByOthers(file)) {
                log.warn("key set {} can be read by other users than its owner: chmod 600 it", file);
            }
            log.info("{}", keyset);
            loaded = new Loaded(keyset, modified, size);
        }
        return loaded.keyset();
    }

    /** {@code keys rotate}: a new primary key in the configured file, the older ones kept for reading. */
    public synchronized EncryptionKeyset rotate() {
        EncryptionKeyset rotated = current().rotate();
        loaded = null;
        log.info("rotated: {}", rotated);
        return rotated;
    }
}
