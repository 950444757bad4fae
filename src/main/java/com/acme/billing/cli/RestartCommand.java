package com.acme.billing.cli;

import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.ingest.IngestJobConfig;
import com.acme.billing.ingest.IngestService;
import com.acme.billing.ops.Operations;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "restart", header = "resume a failed, stopped or dead run",
        description = "Resume a failed or stopped run (or one left STARTED by a dead process) from its last commit.")
final class RestartCommand extends BillingCommand {

    /** {@code billing.partitioning=remote} hands this command's heavy step to workers (SPEC 13). */
    @Override
    boolean partitioned() {
        return true;
    }


    @Parameters(paramLabel = "ID", description = "the execution id (jobs/billing executions)")
    long id;

    /** {@code files} and the counts are there when the restarted job was an ingest. */
    record Result(long restarted, long executionId, String job, String status, List<IngestCommand.FileResult> files,
            Long accepted, Long duplicates, Long rejected) {
    }

    @Override
    int run(CommandContext context) {
        Operations operations = context.bean(Operations.class);
        Console console = context.console();
        JobExecution restarted = Audited.run(context, "restart", "execution:" + id, () -> {
            console.say("restarting execution %d of %s", id, operations.execution(id).getJobInstance().getJobName());
            return operations.restart(id);
        }, r -> AuditOutcome.ok(r.getId()));
        String job = restarted.getJobInstance().getJobName();
        Result result = new Result(id, restarted.getId(), job, restarted.getStatus().name(), null, null, null, null);
        if (job.equals(IngestJobConfig.JOB_NAME)) {
            Long runId = restarted.getJobParameters().getLong(IngestJobConfig.RUN_ID);
            List<IngestService.FileOutcome> files = context.bean(IngestService.class).outcomesOf(runId);
            IngestCommand.printFiles(files, console);
            result = new Result(id, restarted.getId(), job, restarted.getStatus().name(), IngestCommand.FileResult.of(files),
                    files.stream().mapToLong(IngestService.FileOutcome::accepted).sum(),
                    files.stream().mapToLong(IngestService.FileOutcome::duplicates).sum(),
                    files.stream().mapToLong(IngestService.FileOutcome::rejected).sum());
        }
        console.say("execution %d completed (restart of %d)", restarted.getId(), id);
        return console.done(result);
    }
}
