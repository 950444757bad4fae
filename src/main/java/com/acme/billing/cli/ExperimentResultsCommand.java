package com.acme.billing.cli;

import com.acme.billing.experiment.VariantComparison;
import com.acme.billing.experiment.store.ExperimentResults;
import com.acme.billing.platform.InputRefusedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "experiment-results", header = "a pricing experiment's variants against control",
        description = "Per variant: users, trial starts, conversions, revenue per user; against the control: difference, 95 %% CI, p-value.")
final class ExperimentResultsCommand extends BillingCommand {

    @Parameters(paramLabel = "ID", description = "the experiment id")
    String id;

    @Override
    int run(CommandContext context) {
        ExperimentResults.Results results = context.bean(ExperimentResults.class).of(id)
                .orElseThrow(() -> new InputRefusedException("no experiment '" + id + "' (import-experiments FILE)"));
        Console console = context.console();
        console.say("experiment %s (%s to %s), amounts in %s:", results.experiment(), results.start(), results.end(), results.currency());
        console.say("  %-16s %7s %7s %12s %11s %10s  %s", "variant", "users", "trials", "conversions", "conv. rate", "rev./user", "against control");
        for (ExperimentResults.VariantResult v : results.variants()) {
            String vs = v.vsControl() == null ? "(control)"
                    : "conversion " + words(v.vsControl().conversion()) + "; revenue/user " + words(v.vsControl().revenuePerUser());
            console.say("  %-16s %,7d %,7d %,12d %11s %10s  %s", v.name(), v.users(), v.trialStarts(), v.conversions(),
                    v.conversionRate() == null ? "-" : v.conversionRate().toPlainString(),
                    v.revenuePerUser() == null ? "-" : v.revenuePerUser().toPlainString(), vs);
        }
        return console.done(results);
    }

    private static String words(VariantComparison.Test test) {
        if (test.difference() == null) {
            return "-";
        }
        return test.difference().toPlainString() + (test.ci() == null ? "" : " [" + test.ci().get(0).toPlainString() + ", "
                + test.ci().get(1).toPlainString() + "]") + (test.pValue() == null ? "" : " p=" + test.pValue().toPlainString())
                + (test.significant() ? " significant" : "");
    }
}
