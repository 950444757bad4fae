package com.acme.billing.customer;

import com.acme.billing.platform.InputRefusedException;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig2026;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A Tink key set of AEAD keys (AES256-GCM) read from its JSON file (SPEC 11): encrypts with the primary key,
 * decrypts with whichever key of the set made a value. Associated data binds every value to its table, column
 * and row ({@code customers|name|alice}). Key material stays inside Tink's objects: nothing here prints, logs or
 * puts it in a message; key ids (which every ciphertext carries in the clear anyway) are not secret.
 */
public final class EncryptionKeyset {

    /** Tink's prefix of a ciphertext: one version byte (1), then the key id, 4 bytes big-endian. */
    static final int PREFIX = 5;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final KeysetHandle handle;
    private final Aead aead;

    private EncryptionKeyset(Path file, KeysetHandle handle) throws GeneralSecurityException {
        this.file = file;
        this.handle = handle;
        this.aead = handle.getPrimitive(AeadConfig2026.get(), Aead.class);
    }

    /** Where it was read from. */
    public Path file() {
        return file;
    }

    /** The id of the key new values are encrypted with (unsigned, as Tink shows it). */
    public long primaryKeyId() {
        return Integer.toUnsignedLong(handle.getPrimary().getId());
    }

    /** Every key's id, oldest first as the file lists them. */
    public List<Long> keyIds() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < handle.size(); i++) {
            ids.add(Integer.toUnsignedLong(handle.getAt(i).getId()));
        }
        return ids;
    }

    public boolean holds(long keyId) {
        return keyIds().contains(keyId);
    }

    /** {@code table|column|rowId}: what a value is bound to. */
    public static String associatedData(String table, String column, String rowId) {
        return table + "|" + column + "|" + rowId;
    }

    /** The base64 text of the ciphertext of {@code plaintext} under the primary key, bound to {@code associatedData}. */
    public String encrypt(String plaintext, String associatedData) {
        try {
            byte[] ciphertext = aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ciphertext);
        } catch (GeneralSecurityException e) {
            // The message of an encryption failure never holds the plaintext; it is not repeated anyway.
            throw new IllegalStateException("encrypting " + associatedData + " failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The plaintext of a value made by {@link #encrypt}.
     *
     * @throws UndecryptableException naming the value (table, column, row) and why: a key this set does not
     *     hold, or a value altered or copied from another row or column (it fails authentication)
     */
    public String decrypt(String base64, String associatedData) {
        byte[] ciphertext;
        try {
            ciphertext = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UndecryptableException(associatedData + ": the stored value is not base64 (altered?)");
        }
        long keyId = keyIdOf(ciphertext);
        if (keyId < 0) {
            throw new UndecryptableException(associatedData + ": the stored value is not a Tink ciphertext (altered?)");
        }
        if (!holds(keyId)) {
            throw new UndecryptableException(associatedData + ": encrypted with key " + keyId + ", which the key set " + file
                    + " does not hold (keys " + keyIds() + "); an older copy of the key set? keys rotate keeps every key");
        }
        try {
            return new String(aead.decrypt(ciphertext, associatedData.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new UndecryptableException(associatedData + ": fails authentication with key " + keyId
                    + ": the value was altered, or copied from another row or column (its associated data differs)");
        }
    }

    /** The key id a stored value names, or -1 when it is not a Tink ciphertext. */
    public static long keyIdOf(String base64) {
        try {
            return keyIdOf(Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    static long keyIdOf(byte[] ciphertext) {
        if (ciphertext.length < PREFIX + 28 || ciphertext[0] != 1) {
            return -1;
        }
        return ((ciphertext[1] & 0xffL) << 24) | ((ciphertext[2] & 0xffL) << 16) | ((ciphertext[3] & 0xffL) << 8) | (ciphertext[4] & 0xffL);
    }

    /** A value that does not decrypt: the message names table, column and row, never a plaintext or a key. */
    public static final class UndecryptableException extends IllegalStateException {
        UndecryptableException(String message) {
            super(message);
        }
    }

    /**
     * Reads a key-set file.
     *
     * @throws InputRefusedException when the file is missing, unreadable or not a Tink JSON key set of AEAD keys
     *     (the message names the file, never its content)
     */
    public static EncryptionKeyset read(Path file) {
        if (!Files.exists(file)) {
            throw new InputRefusedException("key set " + file + " does not exist; make one with: jobs/billing keys create FILE");
        }
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputRefusedException("key set " + file + ": cannot read it (" + e.getClass().getSimpleName()
                    + "); make one with: jobs/billing keys create FILE");
        }
        try {
            return new EncryptionKeyset(file, TinkJsonProtoKeysetFormat.parseKeyset(json, AeadConfig2026.get(), InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException | RuntimeException e) {
            // Tink's message could quote the file; the file holds key material: say what, not its words.
            throw new InputRefusedException("key set " + file + ": not a Tink JSON key set of AEAD keys (AES256_GCM); make one with: "
                    + "jobs/billing keys create FILE");
        }
    }

    /**
     * Makes a new key-set file with one AES256-GCM key, readable and writable by its owner only (mode 600).
     *
     * @throws InputRefusedException when the file exists (a key set is never overwritten: it may be the only way
     *     to read stored values)
     */
    public static EncryptionKeyset create(Path file) {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, AeadConfig2026.get());
            Path parent = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent, ownerOnlyDirectory());
            }
            write(file, handle, true);
            return new EncryptionKeyset(file, handle);
        } catch (FileAlreadyExistsException e) {
            throw new InputRefusedException(file + " exists: keys create never overwrites a key set (stored values may need it); "
                    + "keys rotate adds a new key to the configured one");
        } catch (IOException e) {
            throw new UncheckedIOException("key set " + file + ": cannot write it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Adds a new AES256-GCM key to the file and makes it the primary; every older key stays, for reading. The file
     * is replaced whole (written beside it, mode 600, then renamed), so no reader ever sees half a key set.
     */
    public EncryptionKeyset rotate() {
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(handle)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
                    .setConfiguration(AeadConfig2026.get())
                    .build();
            write(file, rotated, false);
            return new EncryptionKeyset(file, rotated);
        } catch (IOException e) {
            throw new UncheckedIOException("key set " + file + ": cannot write it (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            // Key creation's messages name parameters, never key material.
            throw new IllegalStateException("cannot add a key (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /** True when the file can be read by its group or by others (it should be mode 600); false where POSIX modes do not exist. */
    public static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    private static void write(Path file, KeysetHandle handle, boolean createNew) throws IOException, GeneralSecurityException {
        byte[] json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, AeadConfig2026.get(), InsecureSecretKeyAccess.get())
                .getBytes(StandardCharsets.UTF_8);
        if (createNew) {
            Files.createFile(file, ownerOnly());
            Files.write(file, json, StandardOpenOption.TRUNCATE_EXISTING);
            return;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, ownerOnly());
        try {
            Files.write(temporary, json, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] ownerOnlyDirectory() {
        return posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    @Override
    public String toString() {
        return "key set " + file + " (primary key " + primaryKeyId() + ", " + handle.size() + " key(s))";
    }
}
