package com.acme.billing.experiment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * A pricing experiment (SPEC 9): users first seen in {@code [start, end)} are split between the
 * variants by weight (basis points adding up to 10,000); the first variant is the control. A user's
 * variant follows from the experiment id and the user id alone ({@link #variantOf}), so no table is
 * needed to know it; assignments are recorded anyway, with the instant of exposure.
 */
public record Experiment(String id, Instant start, Instant end, List<Variant> variants) {

    public static final int BASIS_POINTS = 10_000;

    public Experiment {
        variants = List.copyOf(variants);
    }

    public Variant control() {
        return variants.get(0);
    }

    /** Whether a user first seen at {@code firstSeen} (their first subscription change) is in it. */
    public boolean admits(Instant firstSeen) {
        return !firstSeen.isBefore(start) && firstSeen.isBefore(end);
    }

    /**
     * SPEC 9: the first 8 bytes of {@code SHA-256("<experiment id>:<user_id>")} as an unsigned
     * integer {@code h}, bucket {@code h mod 10000}; walk the variants in file order adding weights
     * until the sum exceeds the bucket.
     */
    public Variant variantOf(String userId) {
        long bucket = bucket(id, userId);
        long sum = 0;
        for (Variant variant : variants) {
            sum += variant.weight();
            if (sum > bucket) {
                return variant;
            }
        }
        throw new IllegalStateException("experiment " + id + ": weights add up to " + sum + ", not " + BASIS_POINTS);
    }

    public Variant variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("experiment " + id + " has no variant " + name));
    }

    /** {@code h mod 10000} of SPEC 9's rule (big-endian: the hash's first byte is the most significant). */
    public static long bucket(String experimentId, String userId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((experimentId + ":" + userId).getBytes(StandardCharsets.UTF_8));
            return Long.remainderUnsigned(ByteBuffer.wrap(hash, 0, 8).getLong(), BASIS_POINTS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
