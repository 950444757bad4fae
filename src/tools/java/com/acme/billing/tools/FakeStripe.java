package com.acme.billing.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stand-in for Stripe's API over real HTTP on 127.0.0.1, for the tests and the push
 * benchmark. Where it matters it behaves like Stripe: {@code POST /v1/customers} and
 * {@code POST /v1/invoiceitems} with form bodies and a Bearer key; an {@code Idempotency-Key} reused
 * with the same parameters returns the first response, reused with other parameters is an
 * {@code idempotency_error}, and used while its first request still runs is a 409; an invoice item
 * for a customer it does not know is a 400. {@code GET /v1/customers} and {@code GET /v1/invoiceitems}
 * (with {@code customer}) list what exists, newest first, with {@code limit}, {@code starting_after}
 * and {@code created[gte|gt|lte|lt]}, as Stripe's list endpoints do. {@link #forgetIdempotencyKeys()}
 * does what Stripe does to keys older than 24 hours. It records every request (arrival time, key,
 * parameters) and counts what it created.
 *
 * <p>Faults, at the given rates: 500 and 429 before anything is done; slow answers; dropped
 * connections after the object was created (the answer is lost, the hardest case for the client).
 * Injected faults are not stored under the idempotency key: like Stripe, a request that did not
 * start executing can be retried with the same key.
 */
public final class FakeStripe implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(long arrivalNanos, String method, String path, String idempotencyKey, SortedMap<String, String> params,
            int status) {
    }

    private record Stored(String signature, int status, String body) {
    }

    /** A created customer or invoice item, for the list endpoints: {@code owner} is an item's customer, a customer's metadata[user_id]. */
    private record Created(String id, long createdEpochSecond, String owner, String json) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Stored> idempotent = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final Set<String> customers = ConcurrentHashMap.newKeySet();
    private final Set<String> refusedUsers = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> itemsPerLine = new ConcurrentHashMap<>();
    private final Map<String, Long> amountPerLine = new ConcurrentHashMap<>();
    private final List<Created> customerObjects = Collections.synchronizedList(new ArrayList<>());
    private final List<Created> itemObjects = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong customersCreated = new AtomicLong();
    private final AtomicLong itemsCreated = new AtomicLong();
    private final Random random;
    private volatile boolean acceptAnyCustomer;
    private volatile long latencyMillis;
    private volatile double serverErrorRate;
    private volatile double rateLimitRate;
    private volatile double dropRate;
    private volatile double slowRate;
    private volatile long slowMillis;

    private FakeStripe(int port, long seed) throws IOException {
        // The JDK server writes headers and body apart; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK hold the body back up to 40 ms, a delay that real Stripe does not add.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.random = new Random(seed);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-stripe");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a free port. */
    public static FakeStripe start() throws IOException {
        return start(0, 42);
    }

    public static FakeStripe start(int port, long seed) throws IOException {
        return new FakeStripe(port, seed);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeStripe latency(long millis) {
        this.latencyMillis = millis;
        return this;
    }

    /** Fractions of requests answered 500, answered 429, and whose connection is dropped after the work was done. */
    public FakeStripe faults(double serverErrors, double rateLimited, double dropped) {
        this.serverErrorRate = serverErrors;
        this.rateLimitRate = rateLimited;
        this.dropRate = dropped;
        return this;
    }

    /** A fraction of requests that take {@code millis} longer (longer than the client's read timeout, to test timeouts). */
    public FakeStripe slow(double rate, long millis) {
        this.slowRate = rate;
        this.slowMillis = millis;
        return this;
    }

    public FakeStripe knownCustomer(String customerId) {
        customers.add(customerId);
        return this;
    }

    public FakeStripe acceptAnyCustomer(boolean accept) {
        this.acceptAnyCustomer = accept;
        return this;
    }

    /** Customer creation for this user (metadata user_id) is refused with a 400, until {@link #stopRefusing}. */
    public FakeStripe refuseCustomerOf(String userId) {
        refusedUsers.add(userId);
        return this;
    }

    public FakeStripe stopRefusing() {
        refusedUsers.clear();
        return this;
    }

    /** Forgets every idempotency key, as Stripe does after 24 hours: a key sent again then creates again. */
    public FakeStripe forgetIdempotencyKeys() {
        synchronized (idempotent) {
            idempotent.clear();
        }
        return this;
    }

    /** How many customers exist per {@code metadata[user_id]}: one customer per user means every value is 1. */
    public Map<String, Integer> customersPerUser() {
        Map<String, Integer> perUser = new HashMap<>();
        synchronized (customerObjects) {
            for (Created customer : customerObjects) {
                perUser.merge(customer.owner() == null ? "" : customer.owner(), 1, Integer::sum);
            }
        }
        return perUser;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public long customersCreated() {
        return customersCreated.get();
    }

    public long itemsCreated() {
        return itemsCreated.get();
    }

    /** How many invoice items exist per {@code metadata[line_id]}: exactly once means every value is 1. */
    public Map<String, Integer> itemsPerLine() {
        return Map.copyOf(itemsPerLine);
    }

    /** The amount (minor units) of the item of each line. */
    public Map<String, Long> amountPerLine() {
        return Map.copyOf(amountPerLine);
    }

    /** The most requests that arrived within any one second. */
    public int maxRequestsInAnySecond() {
        long[] times = requests().stream().mapToLong(Request::arrivalNanos).sorted().toArray();
        int max = 0;
        int start = 0;
        for (int end = 0; end < times.length; end++) {
            while (times[end] - times[start] >= 1_000_000_000L) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrival = System.nanoTime();
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("GET") && path.equals("/_fake/stats")) {
                respond(exchange, 200, stats());
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // stripe-java sends a GET's parameters in the query string, a POST's in the form body.
            String query = exchange.getRequestURI().getRawQuery();
            SortedMap<String, String> params = form(method.equals("GET") ? (query == null ? "" : query) : body);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Stored answer = null;
            try {
                answer = serve(exchange, method, path, key, params);
            } finally {
                // Recorded before the answer leaves: a client that has its answer finds its request in requests().
                requests.add(new Request(arrival, method, path, key, params, answer == null ? 0 : answer.status()));
            }
            if (answer != null) {
                respond(exchange, answer.status(), answer.body());
            }
        }
    }

    /** The answer to one API request, or null when the connection is to be dropped without one. */
    private Stored serve(HttpExchange exchange, String method, String path, String key, SortedMap<String, String> params) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer sk_")) {
            return new Stored("", 401, error("invalid_request_error", null, "Invalid API Key provided"));
        }
        boolean known = path.equals("/v1/customers") || path.equals("/v1/invoiceitems");
        boolean list = method.equals("GET") && known;
        if (!(list || method.equals("POST") && known)) {
            return new Stored("", 404, error("invalid_request_error", "resource_missing", "Unrecognized request URL (" + method + ": " + path + ")"));
        }
        double dice;
        synchronized (random) {
            dice = random.nextDouble();
        }
        if (dice < serverErrorRate) {
            return new Stored("", 500, error("api_error", null, "fake Stripe: injected server error"));
        }
        if (dice < serverErrorRate + rateLimitRate) {
            return new Stored("", 429, error("invalid_request_error", "rate_limit", "fake Stripe: too many requests hit the API too quickly"));
        }
        boolean drop = dice < serverErrorRate + rateLimitRate + dropRate;
        boolean slow = !drop && dice < serverErrorRate + rateLimitRate + dropRate + slowRate;
        pause(latencyMillis + (slow ? slowMillis : 0));
        Stored answer = list ? list(path, params) : execute(path, key, params);
        if (drop) {
            // Close without a response (closing the exchange before any header drops the connection):
            // the object exists, the client never hears of it.
            return null;
        }
        return answer;
    }

    private Stored execute(String path, String key, SortedMap<String, String> params) {
        String signature = path + " " + params;
        if (key != null) {
            synchronized (idempotent) {
                Stored first = idempotent.get(key);
                if (first != null) {
                    if (!first.signature().equals(signature)) {
                        return new Stored(signature, 400, error("idempotency_error", null, "Keys for idempotent requests can only be used "
                                + "with the same parameters they were first used with. Try using a key other than '" + key
                                + "' if you meant to execute a different request."));
                    }
                    return first;
                }
                if (!inProgress.add(key)) {
                    return new Stored(signature, 409, error("idempotency_error", "idempotency_key_in_use", "There is currently another "
                            + "in-progress request using this Stripe token (probably the same idempotency key)."));
                }
            }
        }
        try {
            Stored result = path.equals("/v1/customers") ? createCustomer(signature, params) : createItem(signature, params);
            if (key != null && result.status() == 200) {
                synchronized (idempotent) {
                    idempotent.put(key, result);
                }
            }
            return result;
        } finally {
            if (key != null) {
                synchronized (idempotent) {
                    inProgress.remove(key);
                }
            }
        }
    }

    private Stored createCustomer(String signature, SortedMap<String, String> params) {
        String user = params.get("metadata[user_id]");
        if (user != null && refusedUsers.contains(user)) {
            return new Stored(signature, 400, error("invalid_request_error", "customer_refused", "fake Stripe refuses a customer for user " + user));
        }
        String id = "cus_fake" + ids.incrementAndGet();
        customers.add(id);
        customersCreated.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        String json = "{\"id\":\"" + id + "\",\"object\":\"customer\",\"created\":" + created + ",\"name\":" + quote(params.get("name"))
                + ",\"metadata\":" + metadata(params) + "}";
        customerObjects.add(new Created(id, created, user, json));
        return new Stored(signature, 200, json);
    }

    private Stored createItem(String signature, SortedMap<String, String> params) {
        String customer = params.get("customer");
        if (customer == null || !(acceptAnyCustomer || customers.contains(customer))) {
            return new Stored(signature, 400, error("invalid_request_error", "resource_missing", "No such customer: '" + customer + "'"));
        }
        long amount;
        try {
            amount = Long.parseLong(params.getOrDefault("amount", ""));
        } catch (NumberFormatException e) {
            return new Stored(signature, 400, error("invalid_request_error", "parameter_invalid_integer", "Invalid integer: " + params.get("amount")));
        }
        String id = "ii_fake" + ids.incrementAndGet();
        itemsCreated.incrementAndGet();
        String line = params.get("metadata[line_id]");
        if (line != null) {
            itemsPerLine.merge(line, 1, Integer::sum);
            amountPerLine.put(line, amount);
        }
        long created = System.currentTimeMillis() / 1000;
        String json = "{\"id\":\"" + id + "\",\"object\":\"invoiceitem\",\"amount\":" + amount + ",\"currency\":"
                + quote(params.get("currency")) + ",\"customer\":" + quote(customer) + ",\"date\":" + created + ",\"description\":"
                + quote(params.get("description")) + ",\"metadata\":" + metadata(params) + "}";
        itemObjects.add(new Created(id, created, customer, json));
        return new Stored(signature, 200, json);
    }

    /**
     * A page of Stripe's list endpoint: newest first, {@code limit} (default 10, at most 100) after
     * {@code starting_after}, within the {@code created} bounds; invoice items of {@code customer} only.
     */
    private Stored list(String path, SortedMap<String, String> params) {
        boolean items = path.equals("/v1/invoiceitems");
        long limit;
        long[] bounds = new long[4];
        try {
            limit = Long.parseLong(params.getOrDefault("limit", "10"));
            String[] names = {"created[gte]", "created[gt]", "created[lte]", "created[lt]"};
            long[] absent = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
            for (int i = 0; i < names.length; i++) {
                bounds[i] = params.containsKey(names[i]) ? Long.parseLong(params.get(names[i])) : absent[i];
            }
        } catch (NumberFormatException e) {
            return new Stored("", 400, error("invalid_request_error", "parameter_invalid_integer", "Invalid integer in " + params));
        }
        if (limit < 1 || limit > 100) {
            return new Stored("", 400, error("invalid_request_error", "parameter_invalid_integer",
                    "Invalid limit: must be between 1 and 100"));
        }
        String customer = params.get("customer");
        List<Created> newestFirst = new ArrayList<>();
        synchronized (items ? itemObjects : customerObjects) {
            for (Created object : items ? itemObjects : customerObjects) {
                long at = object.createdEpochSecond();
                if ((!items || customer == null || customer.equals(object.owner())) && at >= bounds[0] && at > bounds[1] && at <= bounds[2]
                        && at < bounds[3]) {
                    newestFirst.add(object);
                }
            }
        }
        Collections.reverse(newestFirst);
        int from = 0;
        String after = params.get("starting_after");
        if (after != null) {
            from = -1;
            for (int i = 0; i < newestFirst.size(); i++) {
                if (newestFirst.get(i).id().equals(after)) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                return new Stored("", 400, error("invalid_request_error", "resource_missing", "No such object: '" + after + "'"));
            }
        }
        int to = (int) Math.min(newestFirst.size(), from + limit);
        StringBuilder json = new StringBuilder("{\"object\":\"list\",\"url\":").append(quote(path)).append(",\"has_more\":")
                .append(to < newestFirst.size()).append(",\"data\":[");
        for (int i = from; i < to; i++) {
            json.append(i > from ? "," : "").append(newestFirst.get(i).json());
        }
        return new Stored("", 200, json.append("]}").toString());
    }

    private String stats() {
        return "{\"requests\":" + requests.size() + ",\"customers_created\":" + customersCreated.get() + ",\"items_created\":"
                + itemsCreated.get() + ",\"lines_with_more_than_one_item\":" + itemsPerLine.values().stream().filter(n -> n > 1).count()
                + ",\"max_requests_in_any_second\":" + maxRequestsInAnySecond() + ",\"first_to_last_request_seconds\":" + span() + "}";
    }

    private double span() {
        List<Request> all = requests();
        if (all.size() < 2) {
            return 0;
        }
        long first = all.stream().mapToLong(Request::arrivalNanos).min().orElse(0);
        long last = all.stream().mapToLong(Request::arrivalNanos).max().orElse(0);
        return Math.round((last - first) / 1e6) / 1000.0;
    }

    private static int respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Request-Id", "req_fake");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    private static SortedMap<String, String> form(String body) {
        SortedMap<String, String> params = new TreeMap<>();
        if (body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(name, value);
        }
        return params;
    }

    private static String metadata(SortedMap<String, String> params) {
        StringBuilder json = new StringBuilder("{");
        params.forEach((name, value) -> {
            if (name.startsWith("metadata[") && name.endsWith("]")) {
                if (json.length() > 1) {
                    json.append(',');
                }
                json.append(quote(name.substring(9, name.length() - 1))).append(':').append(quote(value));
            }
        });
        return json.append('}').toString();
    }

    private static String error(String type, String code, String message) {
        return "{\"error\":{\"type\":" + quote(type) + (code == null ? "" : ",\"code\":" + quote(code)) + ",\"message\":" + quote(message) + "}}";
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A JSON string (or null), escaped by Jackson, which the tools' class path (target/tools.classpath) carries. */
    static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code jobs/billing fake-stripe [--port N] [--latency-ms N] [--errors 0.1] [--rate-limited 0.05] [--dropped 0.01]
     * [--seed N]}: runs until killed; {@code GET /_fake/stats} gives the counts. Invoice items are accepted
     * for any customer id (the benchmark's users come with imported ids).
     */
    public static int main(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("usage: jobs/billing fake-stripe [--port N] [--latency-ms N] [--errors R] [--rate-limited R] [--dropped R] [--seed N]");
                return 2;
            }
            options.put(args[i].substring(2), args[++i]);
        }
        try {
            FakeStripe fake = start(Integer.parseInt(options.getOrDefault("port", "12111")), Long.parseLong(options.getOrDefault("seed", "42")));
            fake.latency(Long.parseLong(options.getOrDefault("latency-ms", "0")))
                    .faults(Double.parseDouble(options.getOrDefault("errors", "0")), Double.parseDouble(options.getOrDefault("rate-limited", "0")),
                            Double.parseDouble(options.getOrDefault("dropped", "0")))
                    .acceptAnyCustomer(true);
            out.println("fake Stripe on " + fake.baseUrl() + " (stats: GET " + fake.baseUrl() + "/_fake/stats)");
            out.flush();
            Thread.currentThread().join();
            return 0;
        } catch (IOException | NumberFormatException e) {
            err.println("fake-stripe: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            return 0;
        }
    }
}
