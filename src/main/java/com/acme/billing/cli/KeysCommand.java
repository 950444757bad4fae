package com.acme.billing.cli;

import com.acme.billing.customer.Customers;
import com.acme.billing.customer.EncryptionKeys;
import com.acme.billing.customer.EncryptionKeyset;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keys create|rotate|reencrypt}: the key set that encrypts customer profiles (SPEC 11). Key material is never printed. */
@Command(name = "keys", mixinStandardHelpOptions = true, header = "encryption key set: create, rotate, reencrypt",
        description = "The Tink key set (JSON file, BILLING_ENCRYPTION_KEYSET) that encrypts customer profiles. Key material is never printed.",
        subcommands = {KeysCommand.Create.class, KeysCommand.Rotate.class, KeysCommand.Reencrypt.class})
final class KeysCommand {

    @Command(name = "create", header = "a new key-set file (mode 600), never over an existing one",
            description = {"Make a key-set file with one AES256-GCM key, readable by its owner only; refuses an existing file.",
                    "Then set BILLING_ENCRYPTION_KEYSET to it. Keep it out of BILLING_HOME and of the database's backups."})
    static final class Create extends BillingCommand {

        @Parameters(paramLabel = "FILE", description = "where to write the key set (must not exist)")
        Path file;

        record Result(String file, long primaryKeyId, List<Long> keyIds) {
        }

        @Override
        int run(CommandContext context) {
            Path target = file.toAbsolutePath().normalize();
            EncryptionKeyset keyset = Audited.run(context, "keys.create", "keyset", () -> EncryptionKeyset.create(target),
                    k -> com.acme.billing.audit.AuditOutcome.ok(), "file", target.toString());
            Console console = context.console();
            console.say("key set %s created (mode 600): key %d", target, keyset.primaryKeyId());
            console.say("use it with: export BILLING_ENCRYPTION_KEYSET=%s", target);
            console.say("keep a copy where the database's backups are not: without it, encrypted profiles cannot be read");
            return console.done(new Result(target.toString(), keyset.primaryKeyId(), keyset.keyIds()));
        }
    }

    @Command(name = "rotate", header = "a new primary key in the configured key set",
            description = {"Add a new AES256-GCM key to the key set of BILLING_ENCRYPTION_KEYSET and make it the primary:",
                    "new values use it, older keys stay for reading. Then keys reencrypt rewrites stored values with it."})
    static final class Rotate extends BillingCommand {

        record Result(String file, long primaryKeyId, long previousPrimaryKeyId, List<Long> keyIds) {
        }

        @Override
        int run(CommandContext context) {
            EncryptionKeys keys = context.bean(EncryptionKeys.class);
            long previous = keys.current().primaryKeyId();
            EncryptionKeyset rotated = Audited.run(context, "keys.rotate", "keyset", keys::rotate, k -> com.acme.billing.audit.AuditOutcome.ok(),
                    "previous_primary_key_id", Long.toString(previous));
            Console console = context.console();
            console.say("key set %s: new primary key %d (was %d); %d key(s), the older ones kept for reading", rotated.file(),
                    rotated.primaryKeyId(), previous, rotated.keyIds().size());
            console.say("next: jobs/billing keys reencrypt (rewrites stored values with the new key)");
            return console.done(new Result(rotated.file().toString(), rotated.primaryKeyId(), previous, rotated.keyIds()));
        }
    }

    @Command(name = "reencrypt", header = "rewrite every encrypted value with the primary key",
            description = {"Decrypt and encrypt again, with the primary key, every stored value made with an older key.",
                    "Idempotent and restartable: run it again after an interruption and it does the rest."})
    static final class Reencrypt extends BillingCommand {

        record Result(String file, long primaryKeyId, int rewritten, int alreadyCurrent, List<Long> keysInUse) {
        }

        @Override
        int run(CommandContext context) {
            EncryptionKeys keys = context.bean(EncryptionKeys.class);
            Customers.ReencryptResult result = Audited.run(context, "keys.reencrypt", "keyset", () -> context.bean(Customers.class).reencrypt(),
                    r -> com.acme.billing.audit.AuditOutcome.ok());
            Path file = keys.current().file();
            Console console = context.console();
            console.say("customer profiles: %d rewritten with key %d, %d already were", result.rewritten(), result.primaryKeyId(),
                    result.alreadyCurrent());
            List<Long> older = keys.current().keyIds().stream().filter(k -> !result.keysInUse().contains(k)).toList();
            if (!older.isEmpty()) {
                console.say("the database no longer needs key(s) %s (backups made before may still need them)", older);
            }
            return console.done(new Result(file.toString(), result.primaryKeyId(), result.rewritten(), result.alreadyCurrent(), result.keysInUse()));
        }
    }
}
