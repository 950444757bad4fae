package com.acme.billing.experiment.store;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.experiment.Experiment;
import com.acme.billing.experiment.ExperimentsParser;
import com.acme.billing.platform.InputRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code import-experiments FILE}: checks the whole file against the catalog, then stores the new
 * experiments and records the assignments of users already seen in their windows, in one transaction.
 * An experiment id already stored with the same terms is unchanged; with other terms it is refused:
 * its users may already be billed on it.
 */
@Service
public class ExperimentImport {

    public record Result(List<String> imported, List<String> unchanged, int assigned) {
    }

    private final ExperimentRepository experiments;
    private final CatalogRepository catalogs;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ExperimentImport(ExperimentRepository experiments, CatalogRepository catalogs, TransactionTemplate tx, Clock clock) {
        this.experiments = experiments;
        this.catalogs = catalogs;
        this.tx = tx;
        this.clock = clock;
    }

    public Result importFile(Path file) {
        var catalog = catalogs.latest().orElseThrow(() -> new InputRefusedException(
                file + ": no catalog imported yet; run import-catalog first (the overrides name its tiers and metrics)"));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputRefusedException(file + ": cannot read: " + e.getMessage());
        }
        List<Experiment> parsed = ExperimentsParser.parse(text, file.toString(), catalog.catalog());
        Instant now = clock.instant();
        return tx.execute(status -> {
            List<Experiment> stored = experiments.all();
            List<String> problems = new ArrayList<>();
            List<String> imported = new ArrayList<>();
            List<String> unchanged = new ArrayList<>();
            for (Experiment experiment : parsed) {
                var same = stored.stream().filter(s -> s.id().equals(experiment.id())).findFirst();
                if (same.isPresent()) {
                    if (ExperimentRepository.canonical(same.get()).equals(ExperimentRepository.canonical(experiment))) {
                        unchanged.add(experiment.id());
                    } else {
                        problems.add(experiment.id() + ": already imported with other terms; an experiment cannot change once imported "
                                + "(its users may be billed on it): give the new terms a new id");
                    }
                    continue;
                }
                for (Experiment other : stored) {
                    if (experiment.start().isBefore(other.end()) && other.start().isBefore(experiment.end())) {
                        problems.add(experiment.id() + ": overlaps the stored experiment '" + other.id() + "' (a user is in one experiment at most)");
                    }
                }
                imported.add(experiment.id());
            }
            if (!problems.isEmpty()) {
                throw new InputRefusedException(file + ": experiments refused, nothing imported:\n  " + String.join("\n  ", problems));
            }
            int assigned = 0;
            for (Experiment experiment : parsed) {
                if (imported.contains(experiment.id())) {
                    experiments.insert(experiment, file.toAbsolutePath().toString(), now);
                }
                assigned += experiments.recordAssignments(experiment, now);
            }
            return new Result(imported, unchanged, assigned);
        });
    }
}
