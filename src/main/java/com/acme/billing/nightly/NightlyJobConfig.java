package com.acme.billing.nightly;

import com.acme.billing.ingest.IngestService;
import com.acme.billing.ingest.TrackedEventsMover;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.invoice.ClosePeriodService;
import com.acme.billing.invoice.InvoiceRepository;
import com.acme.billing.ops.ExecutionOwnerListener;
import com.acme.billing.platform.JobFailedException;
import com.acme.billing.ops.Operations;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.BillingPaths;
import com.acme.billing.report.ReportsService;
import com.acme.billing.stripe.PushRepository;
import com.acme.billing.stripe.PushStripeService;
import com.acme.billing.stripe.StripeSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code nightly}, the cron job: {@code planNight} (which months, fixed for the run and its
 * restarts) → {@code ingestInbox} → {@code rerateOpenPeriods} (last month unless final, and this
 * month so far; a finalized last month gets adjustments for late data) → {@code finalizeDuePeriods}
 * (last month once the grace period of its catalog has ended) → {@code pushToStripe} → {@code renderReports}.
 *
 * <p>Each step runs the command's own job (ingestUsage, closePeriod, ...). When that job fails, its
 * execution id is kept in the step's context and the step fails; {@code restart} of the nightly
 * run skips the steps that completed and restarts the failed job from its last commit. The steps
 * use no transaction of their own: the jobs they run commit chunk by chunk.
 */
@Configuration(proxyBeanMethods = false)
public class NightlyJobConfig {

    public static final String JOB_NAME = "nightly";
    static final String CHILD = "nightly.child_execution_id";

    @Bean
    Job nightlyJob(JobRepository jobRepository, ExecutionOwnerListener owners, Step planNight, Step ingestInbox, Step rerateOpenPeriods,
            Step finalizeDuePeriods, Step pushToStripe, Step computeAnalytics, Step renderReports) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(owners).start(planNight).next(ingestInbox).next(rerateOpenPeriods)
                .next(finalizeDuePeriods).next(pushToStripe).next(computeAnalytics).next(renderReports).build();
    }

    private static Step step(String name, JobRepository jobRepository, Tasklet tasklet) {
        return new StepBuilder(name, jobRepository).tasklet(tasklet, new ResourcelessTransactionManager()).build();
    }

    /**
     * Runs {@code work}; when the job it started fails, remembers that execution so that a restart
     * resumes it instead. Collaborators are looked up when the step runs, not when it is built: the
     * services lead to the JobOperator, whose job registry is filled when it is created, and it must
     * be created after this job exists, or {@code restart} of a nightly run would not find the job.
     */
    private static Tasklet resumable(ObjectProvider<Operations> operationsProvider, Work work) {
        return (contribution, context) -> {
            ExecutionContext stepContext = context.getStepContext().getStepExecution().getExecutionContext();
            ExecutionContext jobContext = context.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
            List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
            Operations operations = operationsProvider.getObject();
            outsideThisTransaction(() -> {
                runOrResume(operations, work, stepContext, jobContext, done);
                return null;
            });
            System.err.println("  " + context.getStepContext().getStepName() + ": " + (done.isEmpty() ? "nothing to do" : String.join("; ", done)));
            return RepeatStatus.FINISHED;
        };
    }

    private static void runOrResume(Operations operations, Work work, ExecutionContext stepContext, ExecutionContext jobContext,
            List<String> done) {
        {
            if (stepContext.containsKey(CHILD)) {
                long failed = stepContext.getLong(CHILD);
                stepContext.remove(CHILD);
                try {
                    operations.restart(failed);
                } catch (JobFailedException e) {
                    stepContext.putLong(CHILD, e.executionId());
                    throw e;
                }
                done.add("restarted execution " + failed);
            }
            try {
                work.run(jobContext, done);
            } catch (JobFailedException e) {
                stepContext.putLong(CHILD, e.executionId());
                throw e;
            }
        }
    }

    /**
     * Spring Batch refuses to launch a job from a thread inside a transaction (even this step's
     * resourceless one): the jobs a step runs start from a thread of their own, and the step waits.
     */
    private static void outsideThisTransaction(java.util.concurrent.Callable<Void> body) throws Exception {
        java.util.concurrent.FutureTask<Void> task = new java.util.concurrent.FutureTask<>(body);
        Thread thread = new Thread(task, "nightly-step");
        thread.start();
        try {
            task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    interface Work {
        void run(ExecutionContext plan, List<String> done);
    }

    /** Fixes the months and the instant of the run; a restart of the run decides with the same instant. */
    @Bean
    Step planNight(JobRepository jobRepository, Clock clock) {
        return step("planNight", jobRepository, (contribution, context) -> {
            ExecutionContext plan = context.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
            Instant now = clock.instant();
            BillingPeriod current = BillingPeriod.containing(now);
            BillingPeriod last = new BillingPeriod(current.month().minusMonths(1));
            plan.putString("now", now.toString());
            plan.putString("current", current.toString());
            plan.putString("last", last.toString());
            System.err.printf("  planNight: now %s; last month %s, this month %s%n", now, last, current);
            return RepeatStatus.FINISHED;
        });
    }

    @Bean
    Step ingestInbox(JobRepository jobRepository, ObjectProvider<Operations> operations, ObjectProvider<IngestService> ingest,
            ObjectProvider<TrackedEventsMover> tracked, BillingPaths paths) {
        return step("ingestInbox", jobRepository, resumable(operations, (plan, done) -> {
            TrackedEventsMover.Moved moved = tracked.getObject().moveCommitted();
            if (moved.events() > 0) {
                done.add(moved.events() + " event(s) tracked online: " + moved.accepted() + " new, " + moved.duplicates() + " duplicates");
            }
            IngestService.Outcome outcome = ingest.getObject().ingest(List.of(), true);
            if (!outcome.files().isEmpty()) {
                done.add(outcome.files().size() + " inbox file(s): " + outcome.accepted() + " events accepted, " + outcome.rejected() + " rejected");
            }
            if (!outcome.quarantined().isEmpty()) {
                done.add(outcome.quarantined().size() + " unreadable file(s) moved to " + paths.quarantine());
            }
        }));
    }

    @Bean
    Step rerateOpenPeriods(JobRepository jobRepository, ObjectProvider<Operations> operations, ObjectProvider<ClosePeriodService> close) {
        return step("rerateOpenPeriods", jobRepository, resumable(operations, (plan, done) -> {
            for (String period : List.of(plan.getString("last"), plan.getString("current"))) {
                var outcome = close.getObject().close(BillingPeriod.parse(period), false);
                done.add(period + ": " + outcome.invoices() + " invoices, " + outcome.total().toPlainString() + " " + outcome.currency());
            }
        }));
    }

    /**
     * Finalizes last month once the grace period of the catalog version that rated its drafts has ended
     * (the catalog is the one source of {@code grace_period_days}). That version is the one finalize
     * freezes with the drafts, and after {@code rerateOpenPeriods} it is the latest one anyway.
     */
    @Bean
    Step finalizeDuePeriods(JobRepository jobRepository, ObjectProvider<Operations> operations, ObjectProvider<ClosePeriodService> close,
            InvoiceRepository invoices, CatalogRepository catalogs, Clock clock) {
        return step("finalizeDuePeriods", jobRepository, resumable(operations, (plan, done) -> {
            String last = plan.getString("last");
            Integer ratedWith = invoices.period(last).map(InvoiceRepository.PeriodState::catalogVersion).orElse(null);
            if (ratedWith == null || invoices.draftCount(last) == 0) {
                return;
            }
            int graceDays = catalogs.load(ratedWith).catalog().gracePeriodDays();
            Instant due = BillingPeriod.parse(last).end().plus(Duration.ofDays(graceDays));
            // A run planned before the plan held its instant (restarted across an upgrade) decides with the clock.
            Instant now = plan.containsKey("now") ? Instant.parse(plan.getString("now")) : clock.instant();
            if (now.isBefore(due)) {
                done.add(last + " not finalized before " + due + " (grace period " + graceDays + " days, catalog version " + ratedWith + ")");
                return;
            }
            var outcome = close.getObject().finalizePeriod(BillingPeriod.parse(last));
            done.add(last + " finalized: " + outcome.invoices() + " invoices (grace period " + graceDays + " days ended " + due + ")");
        }));
    }

    @Bean
    Step pushToStripe(JobRepository jobRepository, ObjectProvider<Operations> operations, ObjectProvider<PushStripeService> push,
            PushRepository pushes, StripeSettings settings, InvoiceRepository invoices) {
        return step("pushToStripe", jobRepository, resumable(operations, (plan, done) -> {
            String last = plan.getString("last");
            boolean finalized = invoices.period(last).map(InvoiceRepository.PeriodState::finalized).orElse(false);
            PushRepository.Status status = finalized ? pushes.status(last) : null;
            if (status == null || status.pushed() == status.lines()) {
                return;
            }
            if (!settings.hasKey()) {
                done.add(last + ": STRIPE_API_KEY is not set, " + (status.lines() - status.pushed())
                        + " lines not pushed (push-stripe --dry-run shows them)");
                return;
            }
            var outcome = push.getObject().push(BillingPeriod.parse(last), status.pushed());
            done.add(last + ": " + outcome.pushed() + " lines pushed");
        }));
    }

    /** The job {@code analytics} for last month and this month so far, before the reports that show its KPI page. */
    @Bean
    Step computeAnalytics(JobRepository jobRepository, ObjectProvider<Operations> operations,
            ObjectProvider<com.acme.billing.analytics.job.AnalyticsService> analyticsProvider, ObjectProvider<ReportsService> reportsProvider,
            BillingPaths paths) {
        return step("computeAnalytics", jobRepository, resumable(operations, (plan, done) -> {
            for (String period : List.of(plan.getString("last"), plan.getString("current"))) {
                if (reportsProvider.getObject().hasInvoices(BillingPeriod.parse(period))) {
                    var outcome = analyticsProvider.getObject().run(BillingPeriod.parse(period), paths.reports().resolve(period));
                    String mrr = outcome.figures().stream().filter(r -> r.metric().equals("mrr") && r.tier().equals("all"))
                            .map(r -> r.value()).findFirst().orElse("-");
                    done.add(period + ": MRR " + mrr + ", analytics.csv and cohorts.csv in " + outcome.dir());
                }
            }
        }));
    }

    @Bean
    Step renderReports(JobRepository jobRepository, ObjectProvider<Operations> operations, ObjectProvider<ReportsService> reportsProvider,
            BillingPaths paths) {
        return step("renderReports", jobRepository, resumable(operations, (plan, done) -> {
            ReportsService reports = reportsProvider.getObject();
            for (String period : List.of(plan.getString("last"), plan.getString("current"))) {
                if (reports.hasInvoices(BillingPeriod.parse(period))) {
                    var outcome = reports.render(BillingPeriod.parse(period), paths.reports().resolve(period));
                    done.add(period + ": " + outcome.statements() + " statements in " + outcome.dir());
                }
            }
        }));
    }
}
