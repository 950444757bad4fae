package com.acme.billing.stripe;

import com.acme.billing.platform.Progress;
import com.acme.billing.platform.Workers;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a chunk of lines to Stripe with requests in flight on several workers at once (Stripe
 * answers in tens of milliseconds; one at a time could never reach the allowed rate), then records
 * every result in the chunk's transaction. Each user's lines go in order on one worker, after its
 * customer is created if it has none.
 *
 * <p>Before any request of a chunk leaves, its lines (and the creation of the customers it needs) are
 * marked as sent in a transaction of their own. If Stripe stays unavailable for a line after every
 * retry, the chunk fails and none of its answers is recorded; if the process dies, neither is. The
 * marks stay: the next run (a restart, maybe a day later) first looks up at Stripe what those
 * requests may have created (customers by {@code metadata[user_id]}, invoice items by
 * {@code metadata[line_id]}) and creates only what is not there. Idempotency keys alone would not do:
 * Stripe forgets them after 24 hours.
 */
public class InvoiceItemWriter implements ItemWriter<PushLine> {

    private final StripeGateway gateway;
    private final PushRepository pushes;
    private final ExecutorService workers;
    private final Clock clock;
    private final Long executionId;
    private final Progress progress;
    private final TransactionTemplate ownTransaction;
    private final AtomicLong done = new AtomicLong();

    public InvoiceItemWriter(StripeGateway gateway, PushRepository pushes, ExecutorService workers, Clock clock, Long executionId,
            Progress progress, PlatformTransactionManager transactionManager) {
        this.gateway = gateway;
        this.pushes = pushes;
        this.workers = workers;
        this.clock = clock;
        this.executionId = executionId;
        this.progress = progress;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void write(Chunk<? extends PushLine> chunk) throws Exception {
        Map<String, List<PushLine>> byUser = new LinkedHashMap<>();
        for (PushLine line : chunk.getItems()) {
            byUser.computeIfAbsent(line.userId(), u -> new ArrayList<>()).add(line);
        }
        Map<String, String> customers = pushes.customersOf(byUser.keySet());
        List<String> withoutCustomer = byUser.keySet().stream().filter(u -> !customers.containsKey(u)).toList();
        // Wall-clock time, not the billing clock (BILLING_NOW may fix that in the past): it bounds look-ups by Stripe's created time.
        Instant wallNow = Instant.now();
        List<PushLine> lines = List.copyOf(chunk.getItems());
        PushRepository.Unanswered unanswered = ownTransaction.execute(
                tx -> pushes.startAttempts(lines, withoutCustomer, wallNow, clock.instant(), executionId));
        Map<String, String> found = unanswered.customers().isEmpty() ? Map.of()
                : gateway.findCustomers(unanswered.customers().keySet(), Collections.min(unanswered.customers().values()));
        Set<String> customersRefused = ConcurrentHashMap.newKeySet();
        List<Future<List<PushResult>>> futures = new ArrayList<>();
        for (Map.Entry<String, List<PushLine>> user : byUser.entrySet()) {
            String userId = user.getKey();
            futures.add(workers.submit(() -> pushUser(userId, customers.get(userId), found.get(userId), user.getValue(), unanswered.lines(),
                    customersRefused)));
        }
        List<PushResult> results = new ArrayList<>();
        Workers.awaitAll(futures).forEach(results::addAll);
        pushes.record(results, customersRefused, clock.instant(), executionId);
    }

    /**
     * @param knownCustomer the customer recorded for the user, if any
     * @param foundCustomer the customer an earlier, unanswered creation made, found at Stripe, if any
     * @param unansweredLines lines (of every user) whose earlier request has no recorded answer, by when it started
     */
    private List<PushResult> pushUser(String userId, String knownCustomer, String foundCustomer, List<PushLine> lines,
            Map<String, Instant> unansweredLines, Set<String> customersRefused) {
        List<PushResult> results = new ArrayList<>();
        String customer = knownCustomer != null ? knownCustomer : foundCustomer;
        String newlyKnown = knownCustomer == null ? foundCustomer : null;
        if (customer == null) {
            StripeGateway.Answer answer = gateway.createCustomer(userId);
            if (answer.refusal() != null) {
                customersRefused.add(userId);
                for (PushLine line : lines) {
                    results.add(new PushResult(line, null, "customer not created: " + answer.refusal(), answer.attempts(), null));
                }
                return results;
            }
            customer = answer.id();
            newlyKnown = customer;
        }
        List<String> maybeSent = lines.stream().map(PushLine::lineId).filter(unansweredLines::containsKey).toList();
        Map<String, String> existing = maybeSent.isEmpty() ? Map.of()
                : gateway.findInvoiceItems(customer, maybeSent, maybeSent.stream().map(unansweredLines::get).min(Instant::compareTo).orElseThrow());
        for (PushLine line : lines) {
            String itemId = existing.get(line.lineId());
            if (itemId != null) {
                // Created by a request whose answer was lost: recorded now, not created again.
                results.add(new PushResult(line, itemId, null, 0, newlyKnown));
            } else {
                StripeGateway.Answer answer = gateway.createInvoiceItem(line, customer);
                results.add(new PushResult(line, answer.id(), answer.refusal(), answer.attempts(), newlyKnown));
            }
            progress.at(done.incrementAndGet());
        }
        return results;
    }
}
