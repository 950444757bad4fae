package com.acme.billing.gdpr;

import com.acme.billing.platform.BillingPaths;
import com.acme.billing.user.UserId;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.springframework.stereotype.Component;

/**
 * Raw usage lines outside the event store, under BILLING_HOME: the rejects files ({@code rejects/}: lines
 * that were not used, raw text included) and the usage logs {@code ingest --inbox} moved to
 * {@code archive/} (gzip or not). Every line after the header that names the user (as a whole id, see
 * {@link Pseudonyms#mentions}) is removed; a file that names the user nowhere is not touched, one that
 * does is rewritten to a temporary name and renamed. An archived file so rewritten has another SHA-256:
 * ingesting it again stores nothing new (its other events are duplicates).
 */
@Component
class HomeFiles {

    private final BillingPaths paths;

    HomeFiles(BillingPaths paths) {
        this.paths = paths;
    }

    /** @return the lines removed */
    long removeLinesOf(UserId user) {
        long removed = 0;
        for (Path dir : List.of(paths.rejects(), paths.archive())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    if (!file.getFileName().toString().endsWith(".tmp")) {
                        removed += clean(file, user);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + dir + ": " + e.getMessage(), e);
            }
        }
        return removed;
    }

    private static long clean(Path file, UserId user) throws IOException {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        if (count(file, gzip, user) == 0) {
            return 0;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".gdpr.tmp");
        long removed = 0;
        try (BufferedReader in = reader(file, gzip); BufferedWriter out = writer(tmp, gzip)) {
            String line;
            boolean header = true;
            while ((line = lineWithEnd(in)) != null) {
                if (!header && Pseudonyms.mentions(line, user)) {
                    removed++;
                    continue;
                }
                header = false;
                out.write(line);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return removed;
    }

    /** Lines after the first that name the user. */
    private static long count(Path file, boolean gzip, UserId user) {
        try (BufferedReader in = reader(file, gzip)) {
            return in.lines().skip(1).filter(l -> Pseudonyms.mentions(l, user)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0; // not text we can read (a damaged or foreign file): left as it is
        }
    }

    /** The next line with its line end as it was (LF or CRLF), or null at the end. */
    private static String lineWithEnd(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            line.append((char) c);
            if (c == '\n') {
                break;
            }
        }
        return line.isEmpty() ? null : line.toString();
    }

    private static BufferedReader reader(Path file, boolean gzip) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in, StandardCharsets.UTF_8));
    }

    private static BufferedWriter writer(Path file, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return new BufferedWriter(new OutputStreamWriter(gzip ? new GZIPOutputStream(out) : out, StandardCharsets.UTF_8));
    }
}
