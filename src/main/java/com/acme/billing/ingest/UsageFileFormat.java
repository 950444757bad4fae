package com.acme.billing.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** The formats of usage logs (SPEC 2), told by the file name: .csv, .jsonl, either with .gz. */
public enum UsageFileFormat {
    CSV(false), JSONL(false), CSV_GZ(true), JSONL_GZ(true);

    private final boolean gzip;

    UsageFileFormat(boolean gzip) {
        this.gzip = gzip;
    }

    public boolean gzip() {
        return gzip;
    }

    public boolean jsonLines() {
        return this == JSONL || this == JSONL_GZ;
    }

    public static Optional<UsageFileFormat> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return Optional.of(CSV);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Optional.of(JSONL);
        }
        if (name.endsWith(".csv.gz")) {
            return Optional.of(CSV_GZ);
        }
        if (name.endsWith(".jsonl.gz") || name.endsWith(".ndjson.gz")) {
            return Optional.of(JSONL_GZ);
        }
        return Optional.empty();
    }

    /**
     * The file's lines as text: UTF-8, bytes that are not UTF-8 replaced by U+FFFD (such a line is
     * then rejected as bad_encoding, rather than failing the whole file).
     */
    public java.io.BufferedReader openText(Path file) throws IOException {
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
        return new java.io.BufferedReader(new java.io.InputStreamReader(open(file), decoder), 1 << 16);
    }

    /**
     * The file's content, decompressed where it is gzip. A symbolic link is not followed: the path of
     * a run is a real file (see UsageFilePreflight), and a link put in its place later is not read.
     */
    public InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), 1 << 16);
        return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    }
}
