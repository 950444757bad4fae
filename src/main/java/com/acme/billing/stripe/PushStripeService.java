package com.acme.billing.stripe;

import com.acme.billing.invoice.InvoiceRepository;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.platform.JobRunner;
import com.acme.billing.period.BillingPeriod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * {@code push-stripe --period P [--dry-run]} and {@code push-status}. The job parameters are the
 * period and the run number only: the API key stays out of the job repository.
 */
@Service
public class PushStripeService {

    /** @param pushed lines this run sent; {@code alreadyPushed} lines Stripe held before it */
    public record Outcome(String period, long pushed, long alreadyPushed, long failed, long pending, Long executionId,
            List<String> requests) {
    }

    private final PushRepository pushes;
    private final InvoiceRepository invoices;
    private final StripeSettings settings;
    private final JobRunner jobRunner;
    private final Job pushJob;

    public PushStripeService(PushRepository pushes, InvoiceRepository invoices, StripeSettings settings, JobRunner jobRunner,
            @Qualifier("pushToStripeJob") Job pushJob) {
        this.pushes = pushes;
        this.invoices = invoices;
        this.settings = settings;
        this.jobRunner = jobRunner;
        this.pushJob = pushJob;
    }

    /** Refuses a period that has nothing final to push. */
    public void checkFinalized(BillingPeriod month) {
        String period = month.toString();
        boolean finalized = invoices.period(period).map(InvoiceRepository.PeriodState::finalized).orElse(false);
        if (!finalized) {
            throw new InputRefusedException("period " + period + " is not finalized: only finalized invoices go to Stripe "
                    + "(close-period, then finalize --period " + period + ")");
        }
    }

    /** Runs the push job for a checked period; {@code pushedBefore} is {@link #pushedNow} taken before, for the counts. */
    public Outcome push(BillingPeriod month, long pushedBefore) {
        String period = month.toString();
        if (!settings.hasKey()) {
            throw new InputRefusedException("STRIPE_API_KEY is not set (push-stripe --dry-run shows what would be sent without it)");
        }
        // The rate limit is per process: two pushes at once (other periods) would each take the whole of it.
        for (Map.Entry<Long, String> other : jobRunner.unfinished(PushStripeJobConfig.JOB_NAME).entrySet()) {
            if (!period.equals(other.getValue())) {
                throw new InputRefusedException("push-stripe of " + other.getValue() + " (execution " + other.getKey() + ") has not ended; "
                        + "one push at a time keeps requests within STRIPE_MAX_REQUESTS_PER_SECOND. Wait for it, or if its process died, "
                        + "jobs/billing restart " + other.getKey() + " (or abandon " + other.getKey() + ")");
            }
        }
        JobExecution execution = jobRunner.start(pushJob, new JobParametersBuilder()
                .addString("period", period)
                .addLong("run", jobRunner.nextRun(PushStripeJobConfig.JOB_NAME, period))
                .toJobParameters());
        return outcome(month, pushedBefore, execution.getId());
    }

    /** Counts after a run (also after a failed one) that started with {@code pushedBefore} lines at Stripe. */
    public Outcome outcome(BillingPeriod period, long pushedBefore, Long executionId) {
        PushRepository.Status status = pushes.status(period.toString());
        return new Outcome(period.toString(), status.pushed() - pushedBefore, pushedBefore, status.failed(), status.pending(), executionId, List.of());
    }

    public long pushedNow(BillingPeriod period) {
        return pushes.status(period.toString()).pushed();
    }

    /** The requests a push would send now, in the order it would send them; nothing is sent or written. */
    public Outcome dryRun(BillingPeriod month) {
        checkFinalized(month);
        String period = month.toString();
        List<PushLine> lines = pushes.pending(period);
        Set<String> users = new LinkedHashSet<>();
        lines.forEach(l -> users.add(l.userId()));
        Map<String, String> customers = pushes.customersOf(users);
        List<String> requests = new ArrayList<>();
        Set<String> customerAsked = new LinkedHashSet<>();
        // Requests of earlier runs without a recorded answer: a push looks up first what they may have created.
        PushRepository.Unanswered unanswered = pushes.unanswered(lines, users.stream().filter(u -> !customers.containsKey(u)).toList());
        if (!unanswered.customers().isEmpty()) {
            requests.add("GET /v1/customers created[gte]=" + StripeGateway.createdFrom(java.util.Collections.min(unanswered.customers().values()))
                    + " (pages of 100, looking for metadata[user_id] of " + String.join(", ", new java.util.TreeSet<>(unanswered.customers().keySet()))
                    + ": creation sent without a recorded answer)");
        }
        Set<String> itemsLookedUp = new LinkedHashSet<>();
        for (PushLine line : lines) {
            String customer = customers.get(line.userId());
            if (customer == null) {
                if (customerAsked.add(line.userId())) {
                    requests.add("POST /v1/customers Idempotency-Key: " + StripeGateway.customerIdempotencyKey(line.userId())
                            + " name=" + line.userId() + " metadata[user_id]=" + line.userId()
                            + (unanswered.customers().containsKey(line.userId()) ? " (unless the look-up finds it)" : ""));
                }
                customer = "(new customer of " + line.userId() + ")";
            }
            if (unanswered.lines().containsKey(line.lineId()) && itemsLookedUp.add(line.userId())) {
                List<java.time.Instant> started = lines.stream().filter(l -> l.userId().equals(line.userId()))
                        .map(l -> unanswered.lines().get(l.lineId())).filter(java.util.Objects::nonNull).toList();
                requests.add("GET /v1/invoiceitems customer=" + customer + " created[gte]=" + StripeGateway.createdFrom(java.util.Collections.min(started))
                        + " (pages of 100, looking for metadata[line_id] of " + started.size() + " lines sent without a recorded answer; "
                        + "those found are recorded, not created again)");
            }
            requests.add("POST /v1/invoiceitems Idempotency-Key: " + line.lineId() + " customer=" + customer + " amount=" + line.amountMinor()
                    + " currency=" + line.currency().toLowerCase(java.util.Locale.ROOT) + " period[start]=" + line.periodStart().getEpochSecond()
                    + " period[end]=" + line.periodEnd().getEpochSecond() + " metadata[invoice_id]=" + line.invoiceId()
                    + " metadata[user_id]=" + line.userId() + " metadata[period]=" + line.period() + " description=\"" + line.description() + "\""
                    + (unanswered.lines().containsKey(line.lineId()) ? " (unless the look-up finds it)" : ""));
        }
        PushRepository.Status status = pushes.status(period);
        return new Outcome(period, 0, status.pushed(), status.failed(), status.pending(), null, requests);
    }

    public PushRepository.Status status(BillingPeriod period) {
        checkFinalized(period);
        return pushes.status(period.toString());
    }

    public List<PushRepository.FailedLine> failed(BillingPeriod period) {
        return pushes.failed(period.toString());
    }
}
