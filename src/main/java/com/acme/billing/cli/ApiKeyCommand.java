package com.acme.billing.cli;

import com.acme.billing.access.ApiKeys;
import com.acme.billing.access.Role;
import com.acme.billing.audit.store.AuditLog;
import com.acme.billing.user.UserId;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code api-key create|list|revoke}: the keys of the online API (SPEC 8). */
@Command(name = "api-key", mixinStandardHelpOptions = true, header = "API keys: create (shown once), list, revoke",
        description = "Keys for serve's /api: only a hash is stored; the key is printed once, by create.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
final class ApiKeyCommand {

    /** A key as listed: never its secret. */
    record Key(long id, String role, String userId, String name, String createdAt, String revokedAt) {
        static Key of(ApiKeys.ApiKey key) {
            return new Key(key.id(), key.role().id(), key.userId(), key.name(), key.createdAt().toString(),
                    key.revokedAt() == null ? null : key.revokedAt().toString());
        }
    }

    @Command(name = "create", header = "a new key, printed once", description = "Make a key; it is printed once and only its SHA-256 is kept.")
    static final class Create extends BillingCommand {

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, service, finance, operator or customer")
        Role role;

        @Option(names = "--user", paramLabel = "ID", description = "the one user a customer key acts for (customer keys only)")
        UserId user;

        @Option(names = "--name", paramLabel = "TEXT", description = "what the key is for, as a reminder in api-key list")
        String name;

        record Result(long id, String key, String role, String userId, String name) {
        }

        /** Said before anything is opened; ApiKeys checks the same again for every other caller. */
        @Override
        void validate(java.util.Map<String, String> env) {
            if (role == Role.CUSTOMER && user == null) {
                throw new BadInvocationException("a customer key is bound to one user: give --user ID");
            }
            if (role != Role.CUSTOMER && user != null) {
                throw new BadInvocationException("--user binds customer keys only; a " + role.id() + " key acts for every user");
            }
        }

        @Override
        int run(CommandContext context) {
            // The key and its row commit together; the row holds the key's id, role, user and name, never its secret.
            ApiKeys.Created created = context.bean(AuditLog.class).recordInTransaction(Audited.actor(), "api-key.create",
                    c -> "api-key:" + c.key().id(), "api-key", Audited.details(context, "role", role.id(), "user", user == null ? null : context.bean(com.acme.billing.audit.store.AuditSubjects.class).user(user)),
                    () -> context.bean(ApiKeys.class).create(role, user, name, context.bean(Clock.class).instant()));
            Console console = context.console();
            console.say("API key %d (%s%s): %s", created.key().id(), role.id(), user == null ? "" : " for " + user.value(), created.secret());
            console.say("it is shown this once; only its hash is stored. Send it as: Authorization: Bearer <key>");
            return console.done(new Result(created.key().id(), created.secret(), role.id(), created.key().userId(), name));
        }
    }

    @Command(name = "list", header = "every key, revoked ones too (never the secret)", description = "Every key: id, role, user, name, created, revoked.")
    static final class ListKeys extends BillingCommand {

        record Result(List<Key> keys) {
        }

        @Override
        int run(CommandContext context) {
            List<ApiKeys.ApiKey> keys = context.bean(ApiKeys.class).list();
            Console console = context.console();
            console.say("%d API key(s)", keys.size());
            keys.forEach(k -> console.say("  %4d  %-9s %-16s %-21s %-10s %s", k.id(), k.role().id(), k.userId() == null ? "-" : k.userId(),
                    k.createdAt(), k.revoked() ? "revoked" : "active", k.name() == null ? "" : k.name()));
            return console.done(new Result(keys.stream().map(Key::of).toList()));
        }
    }

    @Command(name = "revoke", header = "a key stops working (serve: within 10 s)", description = "Revoke a key for good.")
    static final class Revoke extends BillingCommand {

        @Parameters(paramLabel = "ID", description = "the key's id (api-key list)")
        long id;

        record Result(Key key) {
        }

        @Override
        int run(CommandContext context) {
            ApiKeys.ApiKey key = context.bean(AuditLog.class).recordInTransaction(Audited.actor(), "api-key.revoke", k -> "api-key:" + id,
                    "api-key:" + id, Audited.details(context), () -> context.bean(ApiKeys.class).revoke(id, context.bean(Clock.class).instant()));
            context.console().say("API key %d (%s) revoked at %s", key.id(), key.role().id(), key.revokedAt());
            return context.console().done(new Result(Key.of(key)));
        }
    }
}
