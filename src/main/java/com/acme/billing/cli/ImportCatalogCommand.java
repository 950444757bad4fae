package com.acme.billing.cli;

import com.acme.billing.catalog.store.CatalogImport;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import-catalog", header = "load tiers, prices, limits, features (YAML)",
        description = "Load tiers, prices, limits and features (YAML, SPEC 3) as a new catalog version; a bad file is refused whole.")
final class ImportCatalogCommand extends BillingCommand {

    @Parameters(paramLabel = "FILE", description = "the catalog YAML")
    Path file;

    record Result(int version, boolean unchanged, List<String> tiers, String currency) {
    }

    @Override
    int run(CommandContext context) {
        return importCatalog(context, file, context.console());
    }

    static int importCatalog(CommandContext context, Path file, Console console) {
        CatalogImport.Result result = context.bean(CatalogImport.class).importFile(file);
        if (result.unchanged()) {
            console.say("catalog %s unchanged: still version %d", file, result.version());
        } else {
            console.say("catalog %s imported as version %d: %d tiers (%s), metrics %s, currency %s", file, result.version(),
                    result.catalog().tiers().size(), String.join(", ", result.catalog().tiers().keySet()),
                    String.join(", ", result.catalog().metrics()), result.catalog().currency());
        }
        return console.done(new Result(result.version(), result.unchanged(), List.copyOf(result.catalog().tiers().keySet()),
                result.catalog().currency()));
    }
}
