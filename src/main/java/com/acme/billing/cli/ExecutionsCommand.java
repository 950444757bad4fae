package com.acme.billing.cli;

import com.acme.billing.ops.ExecutionHistory;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "executions", header = "job runs, newest first",
        description = "Job runs, newest first: id, job, status, start, end, failed step.")
final class ExecutionsCommand extends BillingCommand {

    @Option(names = "--failed", description = "only failed, stopped or unknown runs")
    boolean failed;

    record Result(List<ExecutionHistory.ExecutionRow> executions) {
    }

    /**
     * Its own context, started whole (not lazily: it holds only what the query needs), so that a database it cannot reach
     * stops it at start with exit 2 naming the database, as every eagerly started command.
     */
    @Override
    Class<?> springBeans() {
        return OperatorQueryBeans.class;
    }

    @Override
    int run(CommandContext context) {
        Console console = context.console();
        List<ExecutionHistory.ExecutionRow> rows = context.bean(ExecutionHistory.class).executions(failed);
        console.say("%6s  %-16s %-10s %-20s %-20s %s", "id", "job", "status", "start", "end", "failed step / message");
        for (ExecutionHistory.ExecutionRow row : rows) {
            console.say("%6d  %-16s %-10s %-20s %-20s %s", row.id(), row.job(), row.status(), row.start(),
                    row.end() == null ? "-" : row.end(),
                    row.failedStep() == null ? "" : row.failedStep() + ": " + (row.message() == null ? "" : row.message()));
        }
        return console.done(new Result(rows));
    }
}
