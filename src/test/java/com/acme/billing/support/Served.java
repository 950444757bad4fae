package com.acme.billing.support;

import com.stripe.net.Webhook;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code jobs/billing serve --port 0} in its own JVM, and a client that signs Stripe events as Stripe does. */
public final class Served implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("\\{\"port\":(\\d+)}");

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Served(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * The client compiler only ({@code -XX:TieredStopAtLevel=1}): a test's serve answers a few hundred requests, and without
     * C2 compiling Spring's start-up on the second core it is listening in under half the time (about 4 s instead of 10 on
     * this 2-core machine). Only speed differs; the killed and restarted jobs keep the JVM's defaults.
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    public static Served start(TestDatabase db, Map<String, String> env) throws IOException {
        ProcessBuilder builder = BillingProcess.builder(db, JVM_OPTIONS, "serve", "--port", "0", "--json").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = PORT.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe empty
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Served(process, Integer.parseInt(m.group(1)));
            }
        }
        throw new IllegalStateException("serve did not start:\n" + seen);
    }

    public int port() {
        return port;
    }

    public static String signature(String secret, String payload, long timestamp) {
        try {
            return "t=" + timestamp + ",v1=" + Webhook.Util.computeHmacSha256(secret, timestamp + "." + payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs to /webhooks/stripe with the given Stripe-Signature header (null: none). */
    public HttpResponse<String> post(String payload, String signatureHeader) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/stripe"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        if (signatureHeader != null) {
            request.header("Stripe-Signature", signatureHeader);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signed now with {@code secret}, as Stripe would send it. */
    public HttpResponse<String> send(String secret, String payload) throws IOException, InterruptedException {
        return post(payload, signature(secret, payload, System.currentTimeMillis() / 1000));
    }

    /** A request to the API with {@code Authorization: Bearer key} (null: none) and a JSON body (null: none). */
    public HttpResponse<String> api(String method, String path, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL: the JVM gets no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
