package com.acme.billing.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The staging's order of a chunk's ids: exactly the order of their bytes, whatever prefixes and lengths they share. */
class IdOrderTest {

    @Test
    void idsInTheOrderOfTheirBytes() {
        assertThat(ordered("b", "a", "c")).containsExactly("a", "b", "c");
        // A shared prefix longer than the packed bytes, ids that are prefixes of others, a repeated id, bytes above 0x7F
        // (unsigned: after every ASCII byte), a supplementary character (UTF-8 F0.., after U+FFFD's EF..).
        assertThat(ordered("evt_000000000000b", "evt_000000000000a", "evt_000000000000", "evt_0000000000", "evt_000000000000a",
                "evt_\u00e9", "evt_z", "evt_\uD83D\uDE00", "evt_\uFFFD", "evt_"))
                .containsExactly("evt_", "evt_0000000000", "evt_000000000000", "evt_000000000000a", "evt_000000000000a",
                        "evt_000000000000b", "evt_z", "evt_\u00e9", "evt_\uFFFD", "evt_\uD83D\uDE00");
        assertThat(ordered("same", "same", "same")).containsExactly("same", "same", "same");
        assertThat(ordered("x")).containsExactly("x");
        assertThat(IdOrder.of(new byte[0][], 0)).isEmpty();
    }

    /** Chunks of random ids in several shapes against a comparator sort of the same bytes. */
    @Test
    void agreesWithAComparatorSortOnRandomChunks() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            int count = 1 + random.nextInt(round < 100 ? 50 : 70_000);
            List<byte[]> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = switch (round % 4) {
                    case 0 -> java.util.UUID.randomUUID().toString();
                    case 1 -> "evt_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
                    case 2 -> "2026-10-03T10:00:0" + random.nextInt(10) + "-" + random.nextInt(1_000); // many ties in the packed bytes
                    default -> new String(Character.toChars(0x41 + random.nextInt(0x1F000))) + random.nextInt(100);
                };
                ids.add(id.getBytes(StandardCharsets.UTF_8));
            }
            byte[][] array = ids.toArray(byte[][]::new);

            int[] order = IdOrder.of(array, count);

            int[] sortedIndexes = order.clone();
            Arrays.sort(sortedIndexes);
            assertThat(sortedIndexes).isEqualTo(java.util.stream.IntStream.range(0, count).toArray());
            List<byte[]> expected = new ArrayList<>(ids);
            expected.sort(Arrays::compareUnsigned);
            for (int i = 0; i < count; i++) {
                assertThat(array[order[i]]).as("round %d, position %d", round, i).isEqualTo(expected.get(i));
            }
        }
    }

    private static List<String> ordered(String... ids) {
        byte[][] bytes = Arrays.stream(ids).map(id -> id.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        return Arrays.stream(IdOrder.of(bytes, bytes.length)).mapToObj(i -> ids[i]).toList();
    }
}
