package com.acme.billing.audit;

import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Checks the audit log row by row in {@code seq} order ({@link #accept}), then against the head ({@link #finish}), and
 * names the first broken row:
 * <ul>
 * <li>{@code missing}: a number is skipped (a row deleted), or the head counts more rows than there are (the last rows
 * deleted);</li>
 * <li>{@code edited}: a row's content no longer hashes to its stored hash, or its stored hash was rewritten (the next row
 * still links to the old one);</li>
 * <li>{@code out_of_order}: a row links to another row than the one before it (rows renumbered);</li>
 * <li>{@code head_mismatch}: the rows end otherwise than the head says (a row added around the log, or the head edited).</li>
 * </ul>
 */
public final class AuditVerifier {

    public enum Problem {
        EDITED, MISSING, OUT_OF_ORDER, HEAD_MISMATCH;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The verdict: {@code rows} checked and the last hash; or the first broken row, what is wrong and a sentence saying so. */
    public record Result(long rows, String headHash, Long brokenSeq, Problem problem, String message) {

        public boolean ok() {
            return problem == null;
        }
    }

    private final Function<String, OptionalLong> seqOfHash;
    private long last;
    private String lastHash = AuditChain.GENESIS;
    private Result broken;

    /** @param seqOfHash the row (if any) whose stored hash is this one, to tell rows put out of order from edited ones */
    public AuditVerifier(Function<String, OptionalLong> seqOfHash) {
        this.seqOfHash = seqOfHash;
    }

    /** Checks the next row; false once the log is found broken (the rest need not be read). */
    public boolean accept(AuditEntry row) {
        if (broken != null) {
            return false;
        }
        long expected = last + 1;
        if (row.seq() != expected) {
            return fail(expected, Problem.MISSING, expected == 1 ? "row 1 is missing: the log starts at row " + row.seq()
                    : "row " + expected + " is missing: row " + row.seq() + " follows row " + last);
        }
        boolean consistent = AuditChain.selfConsistent(row);
        if (!lastHash.equals(row.prevHash())) {
            OptionalLong linked = row.prevHash() == null ? OptionalLong.empty() : seqOfHash.apply(row.prevHash());
            if (linked.isPresent() && linked.getAsLong() != last) {
                return fail(row.seq(), Problem.OUT_OF_ORDER, "row " + row.seq() + " is out of order: it follows row " + linked.getAsLong()
                        + " in the chain, not row " + last);
            }
            if (consistent && last > 0) {
                return fail(last, Problem.EDITED, "row " + last + " was edited: its hash was rewritten, and row " + row.seq()
                        + " still links to the one it had");
            }
            return fail(row.seq(), Problem.EDITED, "row " + row.seq() + " was edited: its link to row " + last + " was rewritten");
        }
        if (!consistent) {
            return fail(row.seq(), Problem.EDITED, "row " + row.seq() + " was edited: its content no longer matches its hash");
        }
        last = row.seq();
        lastHash = row.hash();
        return true;
    }

    /** The verdict, once every row was accepted, against the head's row count and last hash. */
    public Result finish(long headSeq, String headHash) {
        if (broken != null) {
            return broken;
        }
        if (headSeq > last) {
            fail(last + 1, Problem.MISSING, (headSeq == last + 1 ? "row " + headSeq + " is missing" : "rows " + (last + 1) + " to " + headSeq
                    + " are missing") + ": the head counts " + headSeq + " rows, the log ends " + (last == 0 ? "before row 1" : "at row " + last));
            return broken;
        }
        if (headSeq < last) {
            fail(headSeq + 1, Problem.HEAD_MISMATCH, "row " + (headSeq + 1) + " is not counted by the head (" + headSeq
                    + " rows): it was written around the audit log, or the head was edited");
            return broken;
        }
        if (!lastHash.equals(headHash)) {
            fail(last, Problem.HEAD_MISMATCH, (last == 0 ? "the head of the empty log" : "row " + last + "'s hash differs from the head's")
                    + ": the head or the last row was rewritten");
            return broken;
        }
        return new Result(last, lastHash, null, null, null);
    }

    private boolean fail(long seq, Problem problem, String message) {
        broken = new Result(last, lastHash, seq, problem, message);
        return false;
    }
}
