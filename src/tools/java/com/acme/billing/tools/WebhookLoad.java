package com.acme.billing.tools;

import com.stripe.net.Webhook;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code jobs/billing webhook-load --url URL --secret S [--events N] [--concurrency C] [--seed S]}: sends
 * N signed Stripe events (half invoice.paid, a fifth invoice.payment_failed, the rest
 * customer.subscription.updated) to a running {@code serve}, C at a time, then sends the same N again:
 * every replay must answer "already handled", which shows each event was stored before its 200.
 */
public final class WebhookLoad {

    private WebhookLoad() {
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!options.containsKey("url") || !options.containsKey("secret") || args.length % 2 != 0) {
            err.println("usage: jobs/billing webhook-load --url http://127.0.0.1:8080/webhooks/stripe --secret whsec_... [--events N] [--concurrency C]");
            return 2;
        }
        String url = options.get("url");
        String secret = options.get("secret");
        int events = Integer.parseInt(options.getOrDefault("events", "10000"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));
        String run = options.getOrDefault("run", Long.toString(System.currentTimeMillis(), 36));
        List<String> payloads = new ArrayList<>(events);
        long created = System.currentTimeMillis() / 1000 - 60;
        String[] tiers = {"starter", "pro", "business"};
        for (int i = 0; i < events; i++) {
            String id = "evt_load_" + run + "_" + i;
            String user = "load-user-" + (i % 5000);
            int kind = i % 10;
            String object;
            String type;
            if (kind < 5) {
                type = "invoice.paid";
                object = "{\"id\":\"in_" + i + "\",\"object\":\"invoice\",\"customer\":\"cus_load" + i + "\",\"currency\":\"usd\",\"amount_due\":" + (100 + i)
                        + ",\"metadata\":{\"invoice_id\":\"INV-load-" + i + "\"}}";
            } else if (kind < 7) {
                type = "invoice.payment_failed";
                object = "{\"id\":\"in_" + i + "\",\"object\":\"invoice\",\"customer\":\"cus_load" + i + "\",\"currency\":\"usd\",\"amount_due\":" + (100 + i)
                        + ",\"attempt_count\":1,\"metadata\":{\"invoice_id\":\"INV-load-" + i + "\"}}";
            } else {
                type = "customer.subscription.updated";
                object = "{\"id\":\"sub_" + user + "\",\"object\":\"subscription\",\"customer\":\"cus_" + user + "\",\"status\":\"active\","
                        + "\"metadata\":{\"user_id\":\"" + user + "\"},\"items\":{\"data\":[{\"price\":{\"lookup_key\":\"" + tiers[i % 3] + "\"}}]}}";
            }
            payloads.add("{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":" + (created + i)
                    + ",\"data\":{\"object\":" + object + "}}");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            Pass first = send(http, url, secret, payloads, concurrency, out, "first delivery");
            Pass replay = send(http, url, secret, payloads, concurrency, out, "replay");
            out.printf("first delivery: %,d events in %.2f s = %,.0f events/s; %,d answered 200; latency p50 %.1f ms, p99 %.1f ms%n",
                    events, first.seconds, events / first.seconds, first.ok, first.p50, first.p99);
            out.printf("replay:         %,d events in %.2f s = %,.0f events/s; %,d answered 'already handled'%n",
                    events, replay.seconds, events / replay.seconds, replay.alreadyHandled);
            out.printf("{\"events\":%d,\"events_per_second\":%.0f,\"ok\":%d,\"p50_ms\":%.1f,\"p99_ms\":%.1f,\"replayed_already_handled\":%d}%n",
                    events, events / first.seconds, first.ok, first.p50, first.p99, replay.alreadyHandled);
            return first.ok == events && replay.alreadyHandled == events ? 0 : 1;
        } catch (Exception e) {
            err.println("webhook-load: " + e);
            return 1;
        }
    }

    private record Pass(double seconds, long ok, long alreadyHandled, double p50, double p99) {
    }

    private static Pass send(HttpClient http, String url, String secret, List<String> payloads, int concurrency, PrintStream out, String label)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicLong ok = new AtomicLong();
        AtomicLong already = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long[] latencies = new long[payloads.size()];
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int worker = t;
            futures.add(pool.submit(() -> {
                for (int i = worker; i < payloads.size(); i += concurrency) {
                    String payload = payloads.get(i);
                    long now = System.currentTimeMillis() / 1000;
                    String signature = "t=" + now + ",v1=" + Webhook.Util.computeHmacSha256(secret, now + "." + payload);
                    long sent = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                            .header("Stripe-Signature", signature).POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    latencies[i] = System.nanoTime() - sent;
                    if (response.statusCode() == 200) {
                        ok.incrementAndGet();
                        if (response.body().contains("already handled")) {
                            already.incrementAndGet();
                        }
                    }
                    long n = done.incrementAndGet();
                    if (n % 2000 == 0) {
                        double s = (System.nanoTime() - start) / 1e9;
                        out.printf("  %s: %,d / %,d, %,.0f events/s%n", label, n, payloads.size(), n / s);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new Pass(seconds, ok.get(), already.get(), sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
    }
}
