package com.acme.billing.cli;

import com.acme.billing.customer.Customers;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import-customers", header = "customer profiles (CSV), stored encrypted",
        description = {"Load the people behind user ids: CSV user_id,name,email,address,country,vat_id (SPEC 11).",
                "Name, e-mail, address and VAT id are stored encrypted with the key set of BILLING_ENCRYPTION_KEYSET;",
                "a user's new line replaces its stored profile. A bad file is refused whole, nothing stored."})
final class ImportCustomersCommand extends BillingCommand {

    @Parameters(paramLabel = "FILE", description = "the customers CSV")
    Path file;

    record Result(String file, int customers, int added, int replaced, long keyId) {
    }

    @Override
    int run(CommandContext context) {
        Customers.ImportResult result = context.bean(Customers.class).importFile(file);
        Console console = context.console();
        console.say("customers %s imported: %d profile(s), %d new, %d replaced; encrypted with key %d", file, result.customers(),
                result.added(), result.replaced(), result.keyId());
        return console.done(new Result(file.toString(), result.customers(), result.added(), result.replaced(), result.keyId()));
    }
}
