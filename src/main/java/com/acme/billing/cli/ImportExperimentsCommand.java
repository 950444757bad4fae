package com.acme.billing.cli;

import com.acme.billing.experiment.store.ExperimentImport;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import-experiments", header = "pricing experiments: variants, weights, overrides",
        description = "Load pricing experiments (YAML, SPEC 9); a bad file is refused whole, naming every bad key.")
final class ImportExperimentsCommand extends BillingCommand {

    @Parameters(paramLabel = "FILE", description = "the experiments YAML")
    Path file;

    record Result(List<String> imported, List<String> unchanged, int assigned) {
    }

    @Override
    int run(CommandContext context) {
        ExperimentImport.Result result = context.bean(ExperimentImport.class).importFile(file);
        Console console = context.console();
        console.say("experiments %s: %d imported (%s), %d unchanged; %d users already seen assigned to a variant", file,
                result.imported().size(), String.join(", ", result.imported()), result.unchanged().size(), result.assigned());
        return console.done(new Result(result.imported(), result.unchanged(), result.assigned()));
    }
}
