package com.acme.billing.cli;

import com.acme.billing.gdpr.GdprService;
import com.acme.billing.user.UserId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gdpr export|erase}: a user's data as one JSON document, and its erasure (SPEC 11; docs/gdpr.md). */
@Command(name = "gdpr", mixinStandardHelpOptions = true, header = "data protection: export a user's data, erase a user",
        description = "Everything held about one user as one JSON document (export), or the user erased: profile and raw events deleted, "
                + "kept records (invoices, for tax law) under a pseudonym erased-<8 hex>, every period's totals unchanged (erase).",
        subcommands = {GdprCommand.Export.class, GdprCommand.Erase.class})
final class GdprCommand {

    @Command(name = "export", header = "everything held about a user, as one JSON document",
            description = {"Write one JSON document with everything held about the user: profile, subscription history, usage by month, "
                    + "raw events per month, invoices with their lines and payments, Stripe, webhook events, alerts, API keys and console "
                    + "accounts, experiments. The file is readable by its owner only. A user nothing is held about: exit 2, nothing written."})
    static final class Export extends BillingCommand {

        @Option(names = "--user", required = true, paramLabel = "ID", description = "the user")
        UserId user;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the JSON document")
        Path out;

        record Result(String userId, String file, Map<String, Long> counts) {
        }

        @Override
        int run(CommandContext context) {
            MoveTracked.before(context);
            // The audit row says that an export happened, by whom and when, never whose: it could not be erased later.
            GdprService.Exported exported = Audited.run(context, "gdpr.export", "user", () -> context.bean(GdprService.class)
                    .export(user, out.toAbsolutePath()), r -> com.acme.billing.audit.AuditOutcome.ok());
            Console console = context.console();
            console.say("exported the data of %s to %s:", user.value(), exported.file());
            exported.counts().forEach((kind, n) -> console.say("  %-16s %,d", kind, n));
            return console.done(new Result(user.value(), exported.file().toString(), exported.counts()));
        }
    }

    @Command(name = "erase", header = "erase a user: profile and raw events deleted, kept records pseudonymized",
            description = {"Erase the user: the profile, raw usage events (event store, events tracked online, rejects and archived logs), "
                    + "console accounts and the reports' daily copy are deleted; invoices (kept for tax law, ids unchanged), subscription "
                    + "history, usage totals, Stripe records, webhook events, alerts, API keys (revoked) and experiment assignments keep "
                    + "a pseudonym erased-<8 hex> instead of the user id. The raw events' sums per subscription segment stay under the "
                    + "pseudonym, so every period's totals stay, and re-rating a finalized period gives no adjustment. Reports under "
                    + "BILLING_HOME/reports are rendered again for the periods concerned.",
                    "An erase that stopped half way (a crash) is finished by running it again. A user nothing is held about "
                            + "(never seen, or erased already): exit 2, nothing written."})
    static final class Erase extends BillingCommand {

        @Option(names = "--user", required = true, paramLabel = "ID", description = "the user")
        UserId user;

        record Result(String userId, String pseudonym, boolean resumed, Map<String, Long> deleted, Map<String, Long> pseudonymized,
                long fileLinesRemoved, List<String> reportsRendered) {
        }

        @Override
        int run(CommandContext context) {
            MoveTracked.before(context);
            // The audit row names the pseudonym the kept records now bear, never the erased id.
            com.acme.billing.audit.store.AuditLog audit = context.bean(com.acme.billing.audit.store.AuditLog.class);
            GdprService.Erased erased;
            try {
                erased = context.bean(GdprService.class).erase(user);
            } catch (RuntimeException e) {
                audit.append(Audited.actor(), "gdpr.erase", "user", com.acme.billing.audit.store.AuditLog.outcomeOf(e), Audited.details(context));
                throw e;
            }
            audit.append(Audited.actor(), "gdpr.erase", "user:" + erased.pseudonym(), com.acme.billing.audit.AuditOutcome.ok(),
                    Audited.details(context, "resumed", Boolean.toString(erased.resumed())));
            Console console = context.console();
            console.say("erased %s%s: kept records now under %s", user.value(), erased.resumed() ? " (an unfinished erase, finished now)" : "",
                    erased.pseudonym());
            console.say("  %-16s %10s %14s", "kind", "deleted", "pseudonymized");
            erased.deleted().forEach((kind, n) -> console.say("  %-16s %,10d %,14d", kind, n, erased.pseudonymized().getOrDefault(kind, 0L)));
            console.say("  lines removed from rejects and archived logs: %,d", erased.fileLinesRemoved());
            console.say("  reports rendered again: %s", erased.reportsRendered().isEmpty() ? "none" : String.join(", ", erased.reportsRendered()));
            return console.done(new Result(user.value(), erased.pseudonym(), erased.resumed(), erased.deleted(), erased.pseudonymized(),
                    erased.fileLinesRemoved(), erased.reportsRendered()));
        }
    }
}
