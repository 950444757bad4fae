package com.acme.billing.tools;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
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
 * {@code jobs/billing api-load --url http://127.0.0.1:8080 --key KEY --users N}: the two loads of issue 12
 * against a running {@code serve}. First {@code track}: E events in batches of B from C clients, each
 * batch answered 202 (rate = events / wall time from the first request to the last answer). Then
 * {@code features/check}: R requests from K keep-alive clients, with latency percentiles. Prints one
 * line per load, {@code key=value}, for the benchmark script to judge.
 */
public final class ApiLoad {

    private ApiLoad() {
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        try {
            return load(args, out, err);
        } catch (Exception e) {
            err.println("api-load failed: " + e);
            return 1;
        }
    }

    private static int load(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!options.containsKey("url") || !options.containsKey("key") || args.length % 2 != 0) {
            err.println("usage: jobs/billing api-load --url http://127.0.0.1:8080 --key KEY [--users N] [--events E] [--batch B] "
                    + "[--track-clients C] [--checks R] [--check-clients K] [--ids sequential|uuid]");
            return 2;
        }
        int keepAlive = Integer.parseInt(options.getOrDefault("check-clients", "8"));
        // The JDK keeps 5 idle connections per server by default: one per check client, so every client keeps its own.
        System.setProperty("http.maxConnections", Integer.toString(Math.max(5, keepAlive)));
        String url = options.get("url");
        String key = options.get("key");
        int users = Integer.parseInt(options.getOrDefault("users", "1000"));
        int events = Integer.parseInt(options.getOrDefault("events", "200000"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "500"));
        int trackClients = Integer.parseInt(options.getOrDefault("track-clients", "4"));
        int checks = Integer.parseInt(options.getOrDefault("checks", "20000"));
        int checkClients = Integer.parseInt(options.getOrDefault("check-clients", "8"));
        String run = Long.toString(System.currentTimeMillis(), 36);
        // sequential (load-<run>-<n>, the default so that figures compare with earlier runs) or uuid (random, as
        // producers send them: each batch's ids land all over the id index instead of at one end of it)
        boolean uuids = options.getOrDefault("ids", "sequential").equals("uuid");
        java.util.Random idRandom = new java.util.Random(run.hashCode());
        String[] metrics = {"emails_processed", "ai_responses", "leads_created"};

        // track: the bodies are built first, so the clock measures the server.
        List<String> bodies = new ArrayList<>();
        for (int b = 0; b * batch < events; b++) {
            StringBuilder body = new StringBuilder(batch * 120).append("{\"events\":[");
            for (int i = 0; i < batch && b * batch + i < events; i++) {
                int n = b * batch + i;
                body.append(i == 0 ? "" : ",").append("{\"event_id\":\"")
                        .append(uuids ? new java.util.UUID(idRandom.nextLong(), idRandom.nextLong()).toString() : "load-" + run + "-" + n)
                        .append("\",\"user_id\":\"user-").append(String.format("%06d", 1 + n % users)).append("\",\"metric\":\"")
                        .append(metrics[n % 3]).append("\",\"quantity\":1}");
            }
            bodies.add(body.append("]}").toString());
        }
        // Warm-up, not measured: the server's JIT compiles the paths first (a long-running serve is past this).
        int warmBatches = Integer.parseInt(options.getOrDefault("warm-up", "40"));
        for (int w = 0; w < warmBatches; w++) {
            HttpClient warm = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = bodies.get(0).replace("\"event_id\":\"", "\"event_id\":\"warm-" + w + "-");
            warm.send(request(url + "/api/usage/track", key, body), HttpResponse.BodyHandlers.ofString());
            warm.send(request(url + "/api/features/check", key, "{\"user_id\":\"user-000001\",\"feature\":\"ai_replies\"}"),
                    HttpResponse.BodyHandlers.ofString());
        }
        AtomicLong failed = new AtomicLong();
        long trackNanos = run(trackClients, bodies.size(), client -> i -> {
            HttpResponse<String> answer = client.send(request(url + "/api/usage/track", key, bodies.get(i)), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) {
                failed.incrementAndGet();
                if (failed.get() == 1) {
                    err.println("track answered " + answer.statusCode() + ": " + answer.body());
                }
            }
        }, new long[bodies.size()]);
        out.printf("track events=%d batches=%d clients=%d seconds=%.3f events_per_second=%.0f failed_batches=%d%n", events, bodies.size(),
                trackClients, trackNanos / 1e9, events / (trackNanos / 1e9), failed.get());

        String[] features = {"ai_replies", "lead_capture", "inbox_triage", "crm_sync"};
        // Answers other than 200, counted by status.
        java.util.concurrent.ConcurrentMap<Integer, Long> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        // Warm-up of the check path with the same clients, not measured: 40 requests leave it interpreted, and the
        // JIT compiling it during the measured run is start-up cost, not the steady state a long-running serve is in.
        int warmChecks = Integer.parseInt(options.getOrDefault("check-warm-up", "5000"));
        URL checkUrl = URI.create(url + "/api/features/check").toURL();
        run(checkClients, warmChecks, client -> i -> {
            String body = "{\"user_id\":\"user-" + String.format("%06d", 1 + i % users) + "\",\"feature\":\"" + features[i % features.length] + "\"}";
            post(checkUrl, key, body);
        }, null);
        long[] latencies = new long[checks];
        long checkNanos = run(checkClients, checks, client -> i -> {
            String body = "{\"user_id\":\"user-" + String.format("%06d", 1 + i % users) + "\",\"feature\":\"" + features[i % features.length] + "\"}";
            long start = System.nanoTime();
            int status = post(checkUrl, key, body);
            latencies[i] = System.nanoTime() - start;
            if (status != 200) {
                statuses.merge(status, 1L, Long::sum);
            }
        }, latencies);
        Arrays.sort(latencies);
        long notOk = statuses.values().stream().mapToLong(Long::longValue).sum();
        out.printf("check requests=%d clients=%d seconds=%.3f requests_per_second=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f not_200=%d%n", checks,
                checkClients, checkNanos / 1e9, checks / (checkNanos / 1e9), latencies[checks / 2] / 1e6, latencies[(int) (checks * 0.99)] / 1e6,
                latencies[checks - 1] / 1e6, notOk);
        if (!statuses.isEmpty()) {
            err.println("check answers other than 200, by status: " + statuses);
        }
        return failed.get() == 0 && notOk == 0 ? 0 : 1;
    }

    interface Task {
        void run(int index) throws Exception;
    }

    interface ClientTask {
        Task with(HttpClient client);
    }

    /** {@code clients} threads, each with its own keep-alive HTTP/1.1 client, take the indexes 0..count-1 in turn. */
    private static long run(int clients, int count, ClientTask task, long[] unused) throws Exception {
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            Task t = task.with(client);
            running.add(pool.submit(() -> {
                for (long i; (i = next.getAndIncrement()) < count; ) {
                    t.run((int) i);
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        long nanos = System.nanoTime() - start;
        pool.shutdown();
        return nanos;
    }

    /**
     * One POST over the JDK's blocking {@link HttpURLConnection}, whose keep-alive cache gives each client thread a
     * connection to reuse. The checks use it rather than {@link HttpClient}, whose selector thread and futures cost
     * the client JVM as much CPU as the server spends answering, on the same two cores. Reads the whole answer, as
     * reuse requires. Returns the status.
     */
    private static int post(URL url, String key, String body) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Authorization", "Bearer " + key);
        connection.setRequestProperty("Content-Type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream request = connection.getOutputStream()) {
            request.write(bytes);
        }
        int status = connection.getResponseCode();
        try (InputStream answer = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (answer != null) {
                answer.readAllBytes();
            }
        }
        return status;
    }

    private static HttpRequest request(String url, String key, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    }
}
