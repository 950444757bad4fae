package com.acme.billing.stripe;

import com.acme.billing.platform.Progress;
import com.acme.billing.platform.Workers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Sends a chunk of lines to Stripe with requests in flight on several workers at once (Stripe
 * answers in tens of milliseconds; one at a time could never reach the allowed rate), then records
 * every result in the chunk's transaction. Each user's lines go in order on one worker, after its
 * customer is created if it has none.
 *
 * <p>If Stripe stays unavailable for a line after every retry, the chunk fails and nothing of it is
 * recorded: a restart sends the chunk again, and the idempotency keys make Stripe answer the
 * requests it already carried out with their first result instead of creating anything twice.
 */
public class InvoiceItemWriter implements ItemWriter<PushLine> {

    private final StripeGateway gateway;
    private final PushRepository pushes;
    private final ExecutorService workers;
    private final Clock clock;
    private final Long executionId;
    private final Progress progress;
    private final java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();

    public InvoiceItemWriter(StripeGateway gateway, PushRepository pushes, ExecutorService workers, Clock clock, Long executionId,
            Progress progress) {
        this.gateway = gateway;
        this.pushes = pushes;
        this.workers = workers;
        this.clock = clock;
        this.executionId = executionId;
        this.progress = progress;
    }

    @Override
    public void write(Chunk<? extends PushLine> chunk) throws Exception {
        Map<String, List<PushLine>> byUser = new LinkedHashMap<>();
        for (PushLine line : chunk.getItems()) {
            byUser.computeIfAbsent(line.userId(), u -> new ArrayList<>()).add(line);
        }
        Map<String, String> customers = pushes.customersOf(byUser.keySet());
        List<Future<List<PushResult>>> futures = new ArrayList<>();
        for (Map.Entry<String, List<PushLine>> user : byUser.entrySet()) {
            futures.add(workers.submit(() -> pushUser(user.getKey(), customers.get(user.getKey()), user.getValue())));
        }
        List<PushResult> results = new ArrayList<>();
        Workers.awaitAll(futures).forEach(results::addAll);
        pushes.record(results, clock.instant(), executionId);
    }

    private List<PushResult> pushUser(String userId, String knownCustomer, List<PushLine> lines) {
        List<PushResult> results = new ArrayList<>();
        String customer = knownCustomer;
        String created = null;
        if (customer == null) {
            StripeGateway.Answer answer = gateway.createCustomer(userId);
            if (answer.refusal() != null) {
                for (PushLine line : lines) {
                    results.add(new PushResult(line, null, "customer not created: " + answer.refusal(), answer.attempts(), null));
                }
                return results;
            }
            customer = answer.id();
            created = customer;
        }
        for (PushLine line : lines) {
            StripeGateway.Answer answer = gateway.createInvoiceItem(line, customer);
            results.add(new PushResult(line, answer.id(), answer.refusal(), answer.attempts(), created));
            progress.at(done.incrementAndGet());
        }
        return results;
    }
}
