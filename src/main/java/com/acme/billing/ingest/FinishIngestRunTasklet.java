package com.acme.billing.ingest;

import com.acme.billing.eventstore.StagedEventsFormat;
import com.acme.billing.platform.BillingPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** Moves a run's inbox files to the archive and deletes its staging files; safe to redo. */
public class FinishIngestRunTasklet implements Tasklet {

    private final IngestRunRepository runs;
    private final BillingPaths paths;
    private final StagedEventsFormat stagedFormat;
    private final long runId;

    public FinishIngestRunTasklet(IngestRunRepository runs, BillingPaths paths, StagedEventsFormat stagedFormat, long runId) {
        this.runs = runs;
        this.paths = paths;
        this.stagedFormat = stagedFormat;
        this.runId = runId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<IngestRunRepository.RunFile> files = runs.files(runId);
        if (runs.fromInbox(runId)) {
            for (IngestRunRepository.RunFile file : files) {
                archive(paths, Path.of(file.path()), file.sha256());
            }
        }
        for (IngestRunRepository.RunFile file : files) {
            StagingFiles staging = StagingFiles.of(paths.staging(), file.fileId(), stagedFormat);
            try {
                Files.deleteIfExists(staging.events());
                Files.deleteIfExists(staging.rejects());
            } catch (IOException e) {
                throw new UncheckedIOException("removing staging files of " + file.fileName() + ": " + e.getMessage(), e);
            }
        }
        return RepeatStatus.FINISHED;
    }

    /** Moves an inbox file to the archive; a different file of the same name there keeps its place. */
    public static Path archive(BillingPaths paths, Path file, String sha256) {
        try {
            Files.createDirectories(paths.archive());
            Path target = paths.archive().resolve(file.getFileName());
            if (Files.exists(target) && Files.exists(file) && Files.mismatch(target, file) != -1) {
                target = paths.archive().resolve(sha256.substring(0, 12) + "-" + file.getFileName());
            }
            if (Files.exists(file)) {
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("archiving " + file + ": " + e.getMessage(), e);
        }
    }
}
