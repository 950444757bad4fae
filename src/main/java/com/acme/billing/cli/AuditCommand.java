package com.acme.billing.cli;

import com.acme.billing.audit.AuditEntry;
import com.acme.billing.audit.AuditVerifier;
import com.acme.billing.audit.store.AuditLog;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code audit verify|list}: the audit log of operators' and admins' actions (SPEC 11). */
@Command(name = "audit", mixinStandardHelpOptions = true, header = "the audit log: verify its hash chain, list its rows",
        description = "Every operator's and admin's action, one row each, chained by SHA-256 hashes (docs/audit.md).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListRows.class})
final class AuditCommand {

    @Command(name = "verify", header = "check every row and the head; exit 1 naming the first broken row",
            description = {"Recompute the hash chain from row 1 and compare the head (row count and last hash).",
                    "Exit 0: intact, with the count and the head hash (keep it elsewhere: see docs/audit.md).",
                    "Exit 1: the first broken row and why: edited, missing, out_of_order or head_mismatch."})
    static final class Verify extends BillingCommand {

        record Result(boolean ok, long rows, String headHash) {
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Broken(String error, boolean ok, long row, String problem, long rowsVerified) {
        }

        @Override
        int run(CommandContext context) {
            AuditVerifier.Result result = context.bean(AuditLog.class).verify();
            Console console = context.console();
            if (!result.ok()) {
                String message = "audit log broken at row " + result.brokenSeq() + " (" + result.problem().id() + "): " + result.message();
                return console.fail(1, message, new Broken(message, false, result.brokenSeq(), result.problem().id(), result.rows()));
            }
            console.say("audit log intact: %d row(s), head %s", result.rows(), result.headHash());
            return console.done(new Result(true, result.rows(), result.headHash()));
        }
    }

    @Command(name = "list", header = "the rows, oldest first: when, who, what, outcome",
            description = "The audit log's rows, oldest first: number, time (machine clock, UTC), who, action, subject, outcome.")
    static final class ListRows extends BillingCommand {

        @Option(names = "--since", paramLabel = "INSTANT", description = "only rows written at or after this ISO-8601 instant")
        Instant since;

        record Row(long seq, String at, String billingNow, String actorKind, String actor, String action, String subject, String outcome,
                String reason, Long executionId, Map<String, Object> details, String hash) {
        }

        record Result(List<Row> rows) {
        }

        @Override
        int run(CommandContext context) {
            List<AuditEntry> rows = context.bean(AuditLog.class).list(since);
            Console console = context.console();
            console.say("%d audit row(s)%s", rows.size(), since == null ? "" : " since " + since);
            rows.forEach(r -> console.say("  %5d  %-27s %-32s %-20s %-18s %s%s", r.seq(), r.at(), r.who(), r.action(), r.subject(), r.outcomeText(),
                    r.details() == null ? "" : "  " + r.details()));
            return console.done(new Result(rows.stream().map(ListRows::row).toList()));
        }

        @SuppressWarnings("unchecked")
        private static Row row(AuditEntry r) {
            return new Row(r.seq(), r.at().toString(), r.billingNow() == null ? null : r.billingNow().toString(), r.actorKind(), r.actor(),
                    r.action(), r.subject(), r.outcome(), r.reason(), r.executionId(),
                    r.details() == null ? null : Console.JSON.readValue(r.details(), Map.class), r.hash());
        }
    }
}
