package com.acme.billing.eventstore;

import java.util.Arrays;

/**
 * The order of a chunk's event ids by their bytes, unsigned (the order of PostgreSQL's {@code COLLATE "C"} for UTF-8), as
 * the staging writes PostgreSQL's staged files ({@link PostgresCopyBinary}, {@link StagedIds}). A comparator sort of the
 * byte arrays follows two references per comparison, into arrays spread over the heap: about 3 s of the staging of ten
 * million lines. Here each id's first bytes after the chunk's common prefix are packed with its index into a {@code
 * long}, the longs are sorted as primitives, and only ids whose packed bytes tie are compared in full.
 */
public final class IdOrder {

    private IdOrder() {
    }

    /** The indexes of {@code ids[0..count)} in the order of the ids' bytes (equal ids in any order). */
    public static int[] of(byte[][] ids, int count) {
        if (count == 0) {
            return new int[0];
        }
        int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(count - 1));
        int keyBytes = (64 - indexBits) / 8;
        int common = commonPrefix(ids, count);
        long indexMask = (1L << indexBits) - 1;
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            byte[] id = ids[i];
            long key = 0;
            for (int b = 0; b < keyBytes; b++) {
                int at = common + b;
                key = (key << 8) | (at < id.length ? id[at] & 0xFF : 0);
            }
            // The bytes at the top, unsigned order made signed by flipping the sign bit; the index in the low bits.
            keys[i] = ((key << (64 - keyBytes * 8)) ^ Long.MIN_VALUE) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = (int) (keys[i] & indexMask);
        }
        // Equal packed bytes (ids alike that far, or shorter than it, padded with zeros): compared in full.
        int start = 0;
        for (int i = 1; i <= count; i++) {
            if (i == count || (keys[i] & ~indexMask) != (keys[start] & ~indexMask)) {
                if (i - start > 1) {
                    sortInFull(ids, order, start, i);
                }
                start = i;
            }
        }
        return order;
    }

    private static int commonPrefix(byte[][] ids, int count) {
        byte[] first = ids[0];
        int common = first.length;
        for (int i = 1; i < count && common > 0; i++) {
            int mismatch = Arrays.mismatch(first, 0, common, ids[i], 0, Math.min(common, ids[i].length));
            if (mismatch >= 0) {
                common = mismatch;
            }
        }
        return common;
    }

    private static void sortInFull(byte[][] ids, int[] order, int from, int to) {
        Integer[] group = new Integer[to - from];
        for (int i = from; i < to; i++) {
            group[i - from] = order[i];
        }
        Arrays.sort(group, (a, b) -> Arrays.compareUnsigned(ids[a], ids[b]));
        for (int i = from; i < to; i++) {
            order[i] = group[i - from];
        }
    }
}
