package com.acme.billing.cli;

import com.acme.billing.access.ConsoleUsers;
import com.acme.billing.access.Role;
import com.acme.billing.audit.store.AuditLog;
import com.acme.billing.user.UserId;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code console-user create|list}: the people who sign in to serve's console (SPEC 12). */
@Command(name = "console-user", mixinStandardHelpOptions = true, header = "console sign-ins: create (password on stdin), list",
        description = "Accounts for serve's /console: e-mail, role and a bcrypt hash of the password.",
        subcommands = {ConsoleUserCommand.Create.class, ConsoleUserCommand.ListUsers.class})
final class ConsoleUserCommand {

    /** An account as listed: never its password or hash. */
    record Account(long id, String email, String role, String userId, String createdAt, String lockedUntil) {
        static Account of(ConsoleUsers.ConsoleUser user) {
            return new Account(user.id(), user.email(), user.role().id(), user.userId(), user.createdAt().toString(),
                    user.lockedUntil() == null ? null : user.lockedUntil().toString());
        }
    }

    @Command(name = "create", header = "a new account; the password is read from standard input",
            description = {"Make a console account. The password is the first line of standard input (at least 12 characters),",
                    "so that it appears neither in the process list nor in the shell's history:",
                    "  read -rs PW && printf '%%s\\n' \"$PW\" | jobs/billing console-user create --email ann@example.com --role finance"})
    static final class Create extends BillingCommand {

        @Option(names = "--email", required = true, paramLabel = "E", description = "the sign-in name (kept in lower case)")
        String email;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, finance, operator or customer")
        Role role;

        @Option(names = "--user", paramLabel = "ID", description = "the one user whose billing a customer sees (customers only)")
        UserId user;

        @Override
        void validate(java.util.Map<String, String> env) {
            if (role == Role.CUSTOMER && user == null) {
                throw new BadInvocationException("a customer signs in to one user's billing: give --user ID");
            }
            if (role != Role.CUSTOMER && user != null) {
                throw new BadInvocationException("--user binds customers only; a " + role.id() + " sees every user");
            }
        }

        @Override
        int run(CommandContext context) throws Exception {
            Console console = context.console();
            String password = console.readSecretLine();
            // The row names the account by its id, role and user: not its e-mail (a customer's is personal data), never the password.
            ConsoleUsers.ConsoleUser created = context.bean(AuditLog.class).recordInTransaction(Audited.actor(), "console-user.create",
                    u -> "console-user:" + u.id(), "console-user", Audited.details(context, "role", role.id(), "user", user == null ? null : context.bean(com.acme.billing.audit.store.AuditSubjects.class).user(user)),
                    () -> context.bean(ConsoleUsers.class).create(email, role, user, password, context.bean(Clock.class).instant()));
            console.say("console account %d: %s (%s%s); sign in at /login", created.id(), created.email(), role.id(),
                    user == null ? "" : " of " + user.value());
            return console.done(Account.of(created));
        }
    }

    @Command(name = "list", header = "every account (never a password)", description = "Every account: id, e-mail, role, user, created, locked until.")
    static final class ListUsers extends BillingCommand {

        record Result(List<Account> accounts) {
        }

        @Override
        int run(CommandContext context) {
            List<ConsoleUsers.ConsoleUser> users = context.bean(ConsoleUsers.class).list();
            Console console = context.console();
            console.say("%d console account(s)", users.size());
            users.forEach(u -> console.say(String.format("  %4d  %-32s %-9s %-16s %s", u.id(), u.email(), u.role().id(), u.userId() == null ? "-" : u.userId(),
                    u.lockedUntil() == null ? "" : "locked until " + u.lockedUntil()).stripTrailing()));
            return console.done(new Result(users.stream().map(Account::of).toList()));
        }
    }
}
