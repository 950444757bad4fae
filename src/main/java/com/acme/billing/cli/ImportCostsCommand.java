package com.acme.billing.cli;

import com.acme.billing.analytics.job.CostImport;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import-costs", header = "acquisition costs per month and channel (CSV)",
        description = "Load acquisition costs (CSV month,channel,amount) for analytics' CAC; a bad file is refused whole.")
final class ImportCostsCommand extends BillingCommand {

    @Parameters(paramLabel = "FILE", description = "the costs CSV")
    Path file;

    record Result(int rows, Map<String, BigDecimal> byMonth) {
    }

    @Override
    int run(CommandContext context) {
        CostImport.Result result = context.bean(CostImport.class).importFile(file);
        Console console = context.console();
        console.say("costs %s imported: %d rows", file, result.rows());
        result.byMonth().forEach((month, amount) -> console.say("  %s  %s", month, amount.toPlainString()));
        return console.done(new Result(result.rows(), result.byMonth()));
    }
}
