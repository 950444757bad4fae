package com.acme.billing.ingest;

import com.acme.billing.eventstore.EventStore;

import com.acme.billing.platform.BillingPaths;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Stores the staged files of a run, one file per transaction (the tasklet repeats while files are
 * pending). Redoing a file after a crash is exact: the event store recognises the events that an
 * earlier attempt stored from this file and line, and counts them as accepted again.
 */
public class StoreNewEventsTasklet implements Tasklet {

    private final EventStore store;
    private final IngestRunRepository runs;
    private final BillingPaths paths;
    private final Clock clock;
    private final long runId;

    public StoreNewEventsTasklet(EventStore store, IngestRunRepository runs, BillingPaths paths, Clock clock, long runId) {
        this.store = store;
        this.runs = runs;
        this.paths = paths;
        this.clock = clock;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<IngestRunRepository.RunFile> pending = runs.files(runId).stream().filter(f -> f.status().equals("pending")).toList();
        if (pending.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        store(pending.get(0), contribution);
        return pending.size() > 1 ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
    }

    private void store(IngestRunRepository.RunFile file, StepContribution contribution) {
        if (runs.ingested(file.sha256()).isPresent()) {
            // Another run finished the same content meanwhile: it counts there, not twice.
            runs.markFile(file.id(), "skipped", 0, 0, 0);
            return;
        }
        long startNanos = System.nanoTime();
        System.err.printf("  %s: storing (dedupe against every stored event) ...%n", file.fileName());
        StagingFiles staging = StagingFiles.of(paths.staging(), file.fileId(), store.stagedEventsFormat());
        EventStore.StoreResult result = store.store(file.fileId(), staging.events());
        long parseRejects = RejectsFile.countStaged(staging.rejects());
        long dataLines = result.staged() + parseRejects;
        long rejected = parseRejects + result.conflictLines().size();
        if (dataLines != file.dataLines()) {
            throw new IllegalStateException(file.fileName() + ": staged " + dataLines + " lines but the file has " + file.dataLines()
                    + " data lines; nothing recorded for this file");
        }
        if (result.accepted() + result.duplicates() + rejected != dataLines) {
            throw new IllegalStateException(file.fileName() + ": accepted " + result.accepted() + " + duplicates " + result.duplicates()
                    + " + rejected " + rejected + " != data lines " + dataLines + "; nothing recorded for this file");
        }
        String rejectsFile = null;
        if (rejected > 0) {
            Path target = RejectsFile.pathFor(paths.rejects(), file.fileName(), file.sha256(),
                    runs.rejectsFilesOfOtherContents(file.fileName(), file.sha256()));
            RejectsFile.write(target, staging.rejects(), result.conflictLines(), Path.of(file.path()), file.format());
            rejectsFile = target.toString();
        }
        runs.recordIngested(file, dataLines, result.accepted(), result.duplicates(), rejected, rejectsFile, clock.instant());
        runs.markFile(file.id(), "stored", result.accepted(), result.duplicates(), rejected);
        contribution.incrementWriteCount(result.accepted());
        System.err.printf("  %s: stored %,d new events, %,d duplicates, %,d rejected (%.1f s)%n", file.fileName(), result.accepted(),
                result.duplicates(), rejected, (System.nanoTime() - startNanos) / 1e9);
    }
}
