package com.acme.billing.cli;

import com.acme.billing.subscription.store.SubscriptionImport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import-subscriptions", header = "load subscription changes (CSV)",
        description = "Load subscription changes (CSV, SPEC 4) and rebuild the subscriptions; a bad file is refused whole.")
final class ImportSubscriptionsCommand extends BillingCommand {

    @Parameters(paramLabel = "FILE", description = "the subscription changes CSV")
    Path file;

    record Result(int lines, int recorded, int alreadyKnown, int users) {
    }

    @Override
    int run(CommandContext context) {
        Result result = importSubscriptions(context, file);
        context.console().say("subscriptions %s: %d changes read, %d recorded, %d already known; %d users updated", file,
                result.lines(), result.recorded(), result.alreadyKnown(), result.users());
        return context.console().done(result);
    }

    static Result importSubscriptions(CommandContext context, Path file) {
        SubscriptionImport.Result result = context.bean(SubscriptionImport.class).importFile(file);
        return new Result(result.lines(), result.recorded(), result.alreadyKnown(), result.users());
    }
}
