package com.acme.billing.stripe;

import com.acme.billing.ops.ExecutionOwnerListener;
import com.acme.billing.platform.KeysetReader;
import com.acme.billing.platform.Workers;
import com.acme.billing.platform.Progress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code push-stripe}: {@code pushInvoiceItems} (chunks of pending lines, sent concurrently, results
 * recorded with the chunk) then {@code checkAllPushed} (fails the job while any line of the period is
 * missing at Stripe, so that {@code executions --failed} shows it). Parameters: {@code period} and
 * {@code run}, as for close-period.
 *
 * <p>{@code pushInvoiceItems} may start again when complete: restarting a job that failed only
 * because Stripe refused some lines sends those lines again (once their cause is fixed), and
 * nothing else, since the reader only sees lines not pushed.
 */
@Configuration(proxyBeanMethods = false)
public class PushStripeJobConfig {

    public static final String JOB_NAME = "pushToStripe";

    @Bean
    Job pushToStripeJob(JobRepository jobRepository, Step pushInvoiceItems, Step checkAllPushed, ExecutionOwnerListener owners) {
        return new JobBuilder(JOB_NAME, jobRepository).listener(owners).start(pushInvoiceItems).next(checkAllPushed).build();
    }

    /**
     * Lines per chunk: about ten seconds of requests at the allowed rate (250 at the default 25/s,
     * 1,000 at 100/s), unless {@code billing.stripe.chunk-size} says otherwise. Between two chunks the
     * workers wait for the slowest request and the commit; the longer the chunk, the smaller that
     * share (200-line chunks reached 83 requests/s of 100 allowed, 1,000-line chunks 9x; see
     * docs/benchmarks.md). A restart sends at most one chunk again, by the same idempotency keys.
     */
    static int chunkSize(StripeSettings settings, int configured) {
        return configured > 0 ? configured : Math.max(50, Math.min(2000, settings.maxRequestsPerSecond() * 10));
    }

    @Bean
    Step pushInvoiceItems(JobRepository jobRepository, PlatformTransactionManager transactionManager, ItemStreamReader<PushLine> pendingLineReader,
            InvoiceItemWriter invoiceItemWriter, StripeSettings settings, @Value("${billing.stripe.chunk-size:0}") int configured) {
        return new StepBuilder("pushInvoiceItems", jobRepository).<PushLine, PushLine>chunk(chunkSize(settings, configured))
                .transactionManager(transactionManager)
                .reader(pendingLineReader)
                .writer(invoiceItemWriter)
                .allowStartIfComplete(true)
                .build();
    }

    @Bean
    @StepScope
    KeysetReader<PushLine> pendingLineReader(PushRepository pushes, @Value("#{jobParameters['period']}") String period,
            StripeSettings settings, @Value("${billing.stripe.chunk-size:0}") int configured) {
        // The period's finalized lines Stripe does not hold yet; a line refused in this run is not asked again.
        return new KeysetReader<>("push.last_line_id", (after, limit) -> pushes.pendingAfter(period, after, limit), PushLine::lineId,
                chunkSize(settings, configured));
    }

    @Bean
    @StepScope
    InvoiceItemWriter invoiceItemWriter(StripeGateway gateway, PushRepository pushes, ExecutorService stripeWorkers, Clock clock,
            @Value("#{jobParameters['period']}") String period, @Value("#{stepExecution.jobExecution.id}") Long executionId,
            @Value("${billing.progress-interval-ms:2000}") long progressMillis, PlatformTransactionManager transactionManager) {
        Progress progress = new Progress("pushing " + period + " to Stripe (lines)", pushes.pendingCount(period), 0, System.err, progressMillis);
        return new InvoiceItemWriter(gateway, pushes, stripeWorkers, clock, executionId, progress, transactionManager);
    }

    @Bean
    Step checkAllPushed(JobRepository jobRepository, PlatformTransactionManager transactionManager, PushRepository pushes) {
        return new StepBuilder("checkAllPushed", jobRepository).tasklet((contribution, context) -> {
            String period = (String) context.getStepContext().getJobParameters().get("period");
            PushRepository.Status status = pushes.status(period);
            if (status.pushed() < status.lines()) {
                var failed = pushes.failed(period);
                String first = failed.isEmpty() ? "" : "; first: " + failed.get(0).lineId() + ": " + failed.get(0).error();
                throw new IllegalStateException((status.lines() - status.pushed()) + " of " + status.lines() + " lines of " + period
                        + " are not at Stripe (" + status.failed() + " refused" + first + "); see push-status --period " + period
                        + ", fix the cause, then push again");
            }
            return RepeatStatus.FINISHED;
        }, transactionManager).build();
    }

    @Bean
    RequestRateLimiter stripeRateLimiter(StripeSettings settings) {
        return RequestRateLimiter.forRequestsPerSecond(settings.maxRequestsPerSecond());
    }

    @Bean
    StripeGateway stripeGateway(StripeSettings settings, RequestRateLimiter stripeRateLimiter) {
        return new StripeGateway(settings, stripeRateLimiter);
    }

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService stripeWorkers(StripeSettings settings) {
        return Workers.daemons("stripe-worker", settings.workers());
    }

    @Bean
    StripeSettings stripeSettings(@Value("${billing.stripe.api-key:}") String apiKey,
            @Value("${billing.stripe.api-base:" + StripeSettings.DEFAULT_API_BASE + "}") String apiBase,
            @Value("${billing.stripe.max-requests-per-second:25}") String maxRequestsPerSecond,
            @Value("${billing.stripe.workers:16}") int workers,
            @Value("${billing.stripe.connect-timeout-ms:10000}") int connectTimeout,
            @Value("${billing.stripe.read-timeout-ms:30000}") int readTimeout,
            @Value("${billing.stripe.max-attempts:8}") int maxAttempts,
            @Value("${billing.stripe.backoff-base-ms:250}") long backoffBase,
            @Value("${billing.stripe.backoff-max-ms:10000}") long backoffMax) {
        int limit;
        try {
            limit = Integer.parseInt(maxRequestsPerSecond.trim());
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1) {
            throw new IllegalArgumentException("STRIPE_MAX_REQUESTS_PER_SECOND must be a whole number of at least 1, not '" + maxRequestsPerSecond + "'");
        }
        return new StripeSettings(apiKey, apiBase, limit, workers, connectTimeout, readTimeout, maxAttempts, new Backoff(backoffBase, backoffMax));
    }
}
