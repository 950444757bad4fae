package com.acme.billing.ingest;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.platform.BillingPaths;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.platform.JobRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code ingest FILE|DIR... | --inbox}: checks every file before anything is written, skips content
 * already ingested, registers the rest as one run and runs the ingest job over it.
 */
@Service
public class IngestService {

    public record FileOutcome(String file, String sha256, long accepted, long duplicates, long rejected, boolean alreadyIngested,
            String rejectsFile) {
    }

    public record Outcome(List<FileOutcome> files, Long executionId, List<String> quarantined) {
        public long accepted() {
            return files.stream().mapToLong(FileOutcome::accepted).sum();
        }

        public long duplicates() {
            return files.stream().mapToLong(FileOutcome::duplicates).sum();
        }

        public long rejected() {
            return files.stream().mapToLong(FileOutcome::rejected).sum();
        }
    }

    private final IngestRunRepository runs;
    private final CatalogRepository catalogs;
    private final BillingPaths paths;
    private final JobRunner jobRunner;
    private final Job ingestJob;
    private final TransactionTemplate tx;
    private final JdbcClient jdbc;
    private final Clock clock;

    public IngestService(IngestRunRepository runs, CatalogRepository catalogs, BillingPaths paths, JobRunner jobRunner,
            @Qualifier("ingestUsageJob") Job ingestJob, TransactionTemplate tx, JdbcClient jdbc, Clock clock) {
        this.runs = runs;
        this.catalogs = catalogs;
        this.paths = paths;
        this.jobRunner = jobRunner;
        this.ingestJob = ingestJob;
        this.tx = tx;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Outcome ingest(List<String> arguments, boolean inbox) {
        if (catalogs.latest().isEmpty()) {
            throw new InputRefusedException("no catalog imported yet; run import-catalog first (the metrics come from it)");
        }
        List<Path> candidates = inbox ? listInbox(paths.inbox()) : expand(arguments);
        List<UsageFilePreflight.Checked> checked = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> quarantined = new ArrayList<>();
        for (Path file : candidates) {
            try {
                checked.add(UsageFilePreflight.check(file, !inbox));
            } catch (InputRefusedException e) {
                refused.add(e.getMessage());
                if (inbox) {
                    Path moved = quarantine(file);
                    quarantined.add(e.getMessage() + " (moved to " + moved + ")");
                }
            }
        }
        if (!refused.isEmpty() && !inbox) {
            throw new InputRefusedException(String.join("\n", refused));
        }
        List<FileOutcome> outcomes = new ArrayList<>();
        List<UsageFilePreflight.Checked> toIngest = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (UsageFilePreflight.Checked file : checked) {
            boolean known = runs.ingested(file.sha256()).isPresent() || !seen.add(file.sha256());
            if (known) {
                outcomes.add(new FileOutcome(file.path().toString(), file.sha256(), 0, 0, 0, true, null));
                if (inbox) {
                    FinishIngestRunTasklet.archive(paths, file.path(), file.sha256());
                }
                continue;
            }
            refuseIfUnfinished(file);
            toIngest.add(file);
        }
        Long executionId = null;
        if (!toIngest.isEmpty()) {
            long runId = tx.execute(status -> {
                long id = runs.createRun(inbox, clock.instant());
                int seq = 1;
                for (UsageFilePreflight.Checked file : toIngest) {
                    runs.addFile(id, seq++, runs.fileIdFor(file.sha256()), file.path().toString(), file.fileName(), file.sha256(),
                            file.format(), file.sizeBytes(), file.totalLines(), file.dataLines());
                }
                return id;
            });
            JobExecution execution = jobRunner.start(ingestJob,
                    new JobParametersBuilder().addLong(IngestJobConfig.RUN_ID, runId).toJobParameters());
            executionId = execution.getId();
            outcomes.addAll(outcomesOf(runId));
        }
        return new Outcome(outcomes, executionId, quarantined);
    }

    /** The per-file counts of a finished run (also used after {@code restart}). */
    public List<FileOutcome> outcomesOf(long runId) {
        List<FileOutcome> outcomes = new ArrayList<>();
        for (IngestRunRepository.RunFile file : runs.files(runId)) {
            var ingested = runs.ingested(file.sha256());
            boolean skipped = file.status().equals("skipped");
            outcomes.add(new FileOutcome(file.path(), file.sha256(), skipped ? 0 : file.accepted(), skipped ? 0 : file.duplicates(),
                    skipped ? 0 : file.rejected(), skipped, ingested.map(IngestRunRepository.IngestedFile::rejectsFile).orElse(null)));
        }
        return outcomes;
    }

    /**
     * Content that an unfinished run holds must be finished there (restart) or given up (abandon)
     * first: two runs staging the same file would mix their lines.
     */
    private void refuseIfUnfinished(UsageFilePreflight.Checked file) {
        record Execution(long id, String status) {
        }
        for (long runId : runs.unfinishedRunsWith(file.sha256())) {
            List<Execution> last = jdbc.sql("SELECT e.JOB_EXECUTION_ID, e.STATUS FROM BATCH_JOB_EXECUTION e "
                    + "JOIN BATCH_JOB_EXECUTION_PARAMS p ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID "
                    + "WHERE p.PARAMETER_NAME = ? AND p.PARAMETER_VALUE = ? ORDER BY e.JOB_EXECUTION_ID DESC")
                    .params(IngestJobConfig.RUN_ID, Long.toString(runId))
                    .query((rs, n) -> new Execution(rs.getLong(1), rs.getString(2)))
                    .list();
            if (last.isEmpty() || "ABANDONED".equals(last.get(0).status())) {
                jdbc.sql("UPDATE ingest_run_files SET status = 'abandoned' WHERE run_id = ? AND sha256 = ? AND status = 'pending'")
                        .params(runId, file.sha256()).update();
                continue;
            }
            Execution unfinished = last.get(0);
            throw new InputRefusedException(file.path() + ": this content is part of unfinished ingest execution " + unfinished.id()
                    + " (" + unfinished.status() + "); run jobs/billing restart " + unfinished.id() + " to finish it, or abandon "
                    + unfinished.id() + " first");
        }
    }

    private List<Path> expand(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new com.acme.billing.platform.InputRefusedException("ingest needs FILE or DIR arguments, or --inbox");
        }
        List<Path> files = new ArrayList<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                files.addAll(listDirectory(path));
            } else {
                files.add(path);
            }
        }
        return files;
    }

    /** Files of a folder named on the command line, in name order; links are followed (the operator chose the folder). */
    static List<Path> listDirectory(Path dir) {
        return list(dir, Files::isRegularFile);
    }

    /**
     * The inbox's files in name order, and its symbolic links, which preflight refuses unread (they go
     * to quarantine). Only the inbox itself is scanned, not its subfolders.
     */
    static List<Path> listInbox(Path dir) {
        return list(dir, p -> Files.isSymbolicLink(p) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
    }

    /** Hidden files and files still being written (.tmp, .part) wait. */
    private static List<Path> list(Path dir, Predicate<Path> taken) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(taken)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith(".") && !name.endsWith(".tmp") && !name.endsWith(".part");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves a refused inbox file (a symbolic link itself, not what it points to) to quarantine, under
     * its own name or, when a file of that name is there already, under the first free {@code <n>-<name>}.
     */
    private Path quarantine(Path file) {
        try {
            Files.createDirectories(paths.quarantine());
            String name = file.getFileName().toString();
            for (int n = 1; ; n++) {
                Path target = paths.quarantine().resolve(n == 1 ? name : n + "-" + name);
                try {
                    // Without REPLACE_EXISTING: an earlier refused file of the same name keeps its place.
                    return Files.move(file, target);
                } catch (FileAlreadyExistsException taken) {
                    // next number
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moving " + file + " to quarantine: " + e.getMessage(), e);
        }
    }
}
