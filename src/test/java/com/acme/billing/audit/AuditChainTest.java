package com.acme.billing.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The pure chain: the canonical spelling and hash of a row, and every verdict of {@link AuditVerifier}, on rows in memory. */
class AuditChainTest {

    static final Instant AT = Instant.parse("2026-11-27T10:15:30.123456789Z");

    static List<AuditEntry> chain(int n) {
        List<AuditEntry> rows = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= n; i++) {
            AuditEntry row = AuditChain.next(i - 1, prev, AT.plusSeconds(i), null, AuditActor.cli("ann", "ops-1"), "restart", "execution:" + i,
                    i == 2 ? AuditOutcome.refused("no job execution 2") : AuditOutcome.ok((long) (100 + i)), i == 3 ? Map.of("tier", "pro") : null);
            rows.add(row);
            prev = row.hash();
        }
        return rows;
    }

    static AuditVerifier.Result verify(List<AuditEntry> rows, long headSeq, String headHash) {
        AuditVerifier verifier = new AuditVerifier(hash -> rows.stream().filter(r -> hash.equals(r.hash())).mapToLong(AuditEntry::seq)
                .mapToObj(OptionalLong::of).findFirst().orElse(OptionalLong.empty()));
        rows.forEach(verifier::accept);
        return verifier.finish(headSeq, headHash);
    }

    static AuditVerifier.Result verify(List<AuditEntry> rows) {
        List<AuditEntry> intact = chain(5);
        return verify(rows, 5, intact.get(4).hash());
    }

    static AuditEntry with(AuditEntry r, long seq, String subject, String hash) {
        return new AuditEntry(seq, r.at(), r.billingNow(), r.actorKind(), r.actor(), r.action(), subject, r.outcome(), r.reason(), r.executionId(),
                r.details(), r.prevHash(), hash);
    }

    @Test
    void aRowIsSpelledAsOneJsonArrayAndHashedAfterTheLinkBeforeIt() throws Exception {
        AuditEntry row = AuditChain.next(0, AuditChain.GENESIS, AT, Instant.parse("2026-11-01T03:00:00Z"), AuditActor.console("ann@example.com"),
                "plan.upgrade", "user:alice", AuditOutcome.refused("line one\nsaid \"no\" to <ann@example.com>"), Map.of("tier", "pro", "from", "starter"));
        assertThat(AuditChain.canonical(row)).isEqualTo("[1,\"2026-11-27T10:15:30.123456Z\",\"2026-11-01T03:00:00Z\",\"console\",\"ann@example.com\","
                + "\"plan.upgrade\",\"user:alice\",\"refused\",\"line one\\u000asaid \\\"no\\\" to <<e-mail>>\",null,"
                + "\"{\\\"from\\\":\\\"starter\\\",\\\"tier\\\":\\\"pro\\\"}\"]");
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest((AuditChain.GENESIS + "\n" + AuditChain.canonical(row)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(row.hash()).isEqualTo(java.util.HexFormat.of().formatHex(digest)).hasSize(64);
        assertThat(AuditActor.api(3, "deploy bot").toString()).isEqualTo("api:key 3 (deploy bot)");
    }

    @Test
    void everyVerdict() {
        List<AuditEntry> intact = chain(5);
        assertThat(verify(intact)).isEqualTo(new AuditVerifier.Result(5, intact.get(4).hash(), null, null, null));
        assertThat(verify(List.of(), 0, AuditChain.GENESIS).ok()).isTrue();

        List<AuditEntry> edited = new ArrayList<>(intact);
        edited.set(2, with(intact.get(2), 3, "execution:9", intact.get(2).hash()));
        assertThat(verify(edited).message()).isEqualTo("row 3 was edited: its content no longer matches its hash");

        // Edited and hashed again: row 3 holds up by itself, but row 4 still links to its old hash.
        AuditEntry rehashed = with(intact.get(2), 3, "execution:9", null);
        edited.set(2, with(rehashed, 3, "execution:9", AuditChain.hash(rehashed.prevHash(), rehashed)));
        assertThat(verify(edited)).extracting(AuditVerifier.Result::brokenSeq, AuditVerifier.Result::problem, AuditVerifier.Result::message)
                .containsExactly(3L, AuditVerifier.Problem.EDITED, "row 3 was edited: its hash was rewritten, and row 4 still links to the one it had");

        List<AuditEntry> missing = new ArrayList<>(intact);
        missing.remove(1);
        assertThat(verify(missing).message()).isEqualTo("row 2 is missing: row 3 follows row 1");
        assertThat(verify(intact.subList(1, 5)).message()).isEqualTo("row 1 is missing: the log starts at row 2");
        assertThat(verify(intact.subList(0, 3))).extracting(AuditVerifier.Result::brokenSeq, AuditVerifier.Result::message)
                .containsExactly(4L, "rows 4 to 5 are missing: the head counts 5 rows, the log ends at row 3");

        // Rows 3 and 4 swapped by their numbers.
        List<AuditEntry> swapped = new ArrayList<>(intact);
        swapped.set(2, with(intact.get(3), 3, intact.get(3).subject(), intact.get(3).hash()));
        swapped.set(3, with(intact.get(2), 4, intact.get(2).subject(), intact.get(2).hash()));
        assertThat(verify(swapped)).extracting(AuditVerifier.Result::problem, AuditVerifier.Result::message)
                .containsExactly(AuditVerifier.Problem.OUT_OF_ORDER, "row 3 is out of order: it follows row 4 in the chain, not row 2");

        assertThat(verify(intact, 4, intact.get(3).hash())).extracting(AuditVerifier.Result::problem, AuditVerifier.Result::message)
                .containsExactly(AuditVerifier.Problem.HEAD_MISMATCH, "row 5 is not counted by the head (4 rows): it was written around the audit log, "
                        + "or the head was edited");
        assertThat(verify(intact, 5, AuditChain.GENESIS).message()).isEqualTo("row 5's hash differs from the head's: the head or the last row was rewritten");
    }
}
