package com.acme.billing.cli;

import com.acme.billing.ingest.IngestService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ingest", header = "ingest usage logs: FILE|DIR... or --inbox",
        description = "Ingest usage logs (.csv, .jsonl, optionally .gz; SPEC 2): FILE|DIR..., or every new file of the inbox.")
final class IngestCommand extends BillingCommand {

    @Parameters(paramLabel = "FILE|DIR", arity = "0..*", description = "usage logs, or folders of them")
    List<Path> files = new ArrayList<>();

    @Option(names = "--inbox", description = "take every file of BILLING_HOME/inbox and move it to archive/")
    boolean inbox;

    record FileResult(String file, String sha256, long accepted, long duplicates, long rejected, boolean alreadyIngested,
            String rejectsFile) {

        static List<FileResult> of(List<IngestService.FileOutcome> files) {
            return files.stream().map(f -> new FileResult(f.file(), f.sha256(), f.accepted(), f.duplicates(), f.rejected(),
                    f.alreadyIngested(), f.rejectsFile())).toList();
        }
    }

    record Result(List<FileResult> files, long accepted, long duplicates, long rejected, Long executionId, double seconds,
            List<String> refused) {
    }

    @Override
    void validate(Map<String, String> env) {
        if (files.isEmpty() == !inbox) {
            throw new BadInvocationException("ingest takes FILE or DIR arguments, or --inbox (not both)");
        }
    }

    @Override
    int run(CommandContext context) {
        Console console = context.console();
        long start = System.nanoTime();
        IngestService.Outcome outcome = context.bean(IngestService.class).ingest(files.stream().map(Path::toString).toList(), inbox);
        double seconds = (System.nanoTime() - start) / 1e9;
        printFiles(outcome.files(), console);
        long lines = outcome.accepted() + outcome.duplicates() + outcome.rejected();
        console.say("ingested %d file(s): %,d accepted, %,d duplicates, %,d rejected in %.1f s (%,.0f lines/s)%s",
                outcome.files().size(), outcome.accepted(), outcome.duplicates(), outcome.rejected(), seconds,
                lines / Math.max(seconds, 1e-3), outcome.executionId() == null ? "" : "; execution " + outcome.executionId());
        outcome.quarantined().forEach(quarantined -> console.warn("refused " + quarantined));
        console.done(new Result(FileResult.of(outcome.files()), outcome.accepted(), outcome.duplicates(), outcome.rejected(),
                outcome.executionId(), Math.round(seconds * 1000) / 1000.0, outcome.quarantined()));
        // An inbox file that could not be read at all was quarantined: the run is an input refusal (exit 2).
        return outcome.quarantined().isEmpty() ? 0 : 2;
    }

    static void printFiles(List<IngestService.FileOutcome> files, Console console) {
        for (IngestService.FileOutcome file : files) {
            if (file.alreadyIngested()) {
                console.say("  %s: already ingested (sha256 %s), nothing changed", file.file(), file.sha256().substring(0, 12));
            } else {
                console.say("  %s: %,d accepted, %,d duplicates, %,d rejected%s", file.file(), file.accepted(), file.duplicates(),
                        file.rejected(), file.rejectsFile() == null ? "" : " (reasons in " + file.rejectsFile() + ")");
            }
        }
    }
}
