package com.acme.billing.invoice;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.money.Money;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.platform.JobRunner;
import com.acme.billing.rating.Rating;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/** {@code close-period [--dry-run]} and {@code finalize}: checks, then the jobs; the dry run rates in memory and writes nothing. */
@Service
public class ClosePeriodService {

    public record Outcome(String period, long invoices, long lines, BigDecimal total, String currency, Long executionId,
            List<InvoicePlan> preview) {
    }

    private final CatalogRepository catalogs;
    private final InvoiceRepository invoices;
    private final RatingInputs inputs;
    private final InvoicePlanner planner;
    private final JobRunner jobRunner;
    private final Job closeJob;
    private final Job finalizeJob;
    private final Clock clock;
    private final PeriodCatalog periodCatalog;

    public ClosePeriodService(PeriodCatalog periodCatalog, CatalogRepository catalogs, InvoiceRepository invoices, RatingInputs inputs, InvoicePlanner planner,
            JobRunner jobRunner, @Qualifier("closePeriodJob") Job closeJob, @Qualifier("finalizePeriodJob") Job finalizeJob,
            Clock clock, com.acme.billing.experiment.store.ExperimentPricing pricing) {
        this.pricing = pricing;
        this.periodCatalog = periodCatalog;
        this.catalogs = catalogs;
        this.invoices = invoices;
        this.inputs = inputs;
        this.planner = planner;
        this.jobRunner = jobRunner;
        this.closeJob = closeJob;
        this.finalizeJob = finalizeJob;
        this.clock = clock;
    }

    private final com.acme.billing.experiment.store.ExperimentPricing pricing;

    public CatalogRepository.StoredCatalog catalogFor(BillingPeriod period) {
        return periodCatalog.of(period.toString());
    }

    public Outcome close(BillingPeriod period, boolean dryRun) {
        if (period.start().isAfter(clock.instant())) {
            throw new InputRefusedException("period " + period + " has not started yet (now is " + clock.instant() + ")");
        }
        var catalog = catalogFor(period);
        if (dryRun) {
            var catalogs = pricing.catalogs(catalog.catalog(), true);
            boolean finalized = invoices.period(period.toString()).map(InvoiceRepository.PeriodState::finalized).orElse(false);
            List<RatedUser> rated = new ArrayList<>();
            MemorySink sink = new MemorySink();
            inputs.build(period, sink);
            sink.users().forEach(u -> rated.add(new RatedUser(u.userId(), Rating.rate(period, u.segments(), catalogs.forUser(u.userId())))));
            List<InvoicePlan> plans = planner.plan(period.toString(), finalized, rated).stream().filter(p -> !p.lines().isEmpty()).toList();
            long lines = plans.stream().mapToLong(p -> p.lines().size()).sum();
            BigDecimal total = plans.stream().map(p -> p.total().amount()).reduce(BigDecimal.ZERO, BigDecimal::add);
            return new Outcome(period.toString(), plans.size(), lines, total, catalog.catalog().currency(), null, plans);
        }
        // Who is in a pricing experiment is recorded before the run rates them (and so before a restart of it).
        pricing.recordAssignments();
        // The version read here is the run's; a resumed run keeps the version it pinned when it started.
        JobExecution execution = jobRunner.start(closeJob, new JobParametersBuilder()
                .addString("period", period.toString())
                .addLong("run", jobRunner.nextRun(ClosePeriodJobConfig.JOB_NAME, period.toString()))
                .addLong(ClosePeriodJobConfig.CATALOG_VERSION, (long) catalog.version(), false)
                .toJobParameters());
        int rated = execution.getExecutionContext().getInt(ClosePeriodJobConfig.CATALOG_VERSION);
        var ratedWith = rated == catalog.version() ? catalog : catalogs.load(rated);
        InvoiceRepository.Totals totals = invoices.totals(period.toString());
        return new Outcome(period.toString(), totals.invoices(), totals.lines(),
                Money.of(totals.total(), Currency.getInstance(ratedWith.catalog().currency())).amount(), ratedWith.catalog().currency(),
                execution.getId(), List.of());
    }

    public Outcome finalizePeriod(BillingPeriod period) {
        var state = invoices.period(period.toString()).orElseThrow(() -> new InputRefusedException(
                "period " + period + " has not been closed; run close-period --period " + period + " first"));
        if (clock.instant().isBefore(period.end())) {
            throw new InputRefusedException("period " + period + " is still running (it ends " + period.end() + "); finalize it after");
        }
        var latest = catalogs.latest().orElseThrow();
        if (!state.finalized() && state.catalogVersion() != null && state.catalogVersion() != latest.version()) {
            throw new InputRefusedException("the catalog changed (version " + latest.version() + ") since close-period rated " + period
                    + " with version " + state.catalogVersion() + "; run close-period --period " + period + " again, then finalize");
        }
        JobExecution execution = jobRunner.start(finalizeJob, new JobParametersBuilder()
                .addString("period", period.toString())
                .addLong("run", jobRunner.nextRun(FinalizePeriodJobConfig.JOB_NAME, period.toString()))
                .toJobParameters());
        InvoiceRepository.Totals totals = invoices.totals(period.toString());
        var catalog = catalogFor(period).catalog();
        return new Outcome(period.toString(), totals.invoices(), totals.lines(),
                Money.of(totals.total(), Currency.getInstance(catalog.currency())).amount(), catalog.currency(), execution.getId(), List.of());
    }

}
