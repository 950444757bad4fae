package com.acme.billing.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a usage log of N events for M users over one month, the same bytes for the same options
 * and seed (behind {@code sample-data/generate}). Usage is skewed, a few users heavy and most light,
 * so some exceed their tier's limits. Optionally repeats some events exactly (duplicates), repeats
 * some ids with other content (conflicting duplicates) and adds broken lines of every kind.
 */
public final class UsageLogGenerator {

    static final String[] METRICS = {"emails_processed", "ai_responses", "leads_created"};
    static final String[] BAD_KINDS = {"missing_field", "bad_event_id", "bad_timestamp", "future_timestamp", "unknown_metric",
            "bad_quantity", "bad_user_id"};

    record Options(long events, int users, YearMonth period, long seed, boolean jsonl, boolean gzip, boolean uuidIds, long duplicates,
            long conflicts, long badLines, Path out, String idPrefix) {
    }

    private UsageLogGenerator() {
    }

    public static int main(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("generate: " + e.getMessage());
            err.println("usage: sample-data/generate --events N --users M --period YYYY-MM --out FILE [--seed S] [--format csv|jsonl] "
                    + "[--gzip] [--ids uuid|seq] [--duplicates K] [--conflicts K] [--bad-lines K] [--id-prefix P]");
            return 2;
        }
        long start = System.nanoTime();
        try {
            write(options);
        } catch (IOException e) {
            err.println("generate: cannot write " + options.out() + ": " + e.getMessage());
            return 1;
        }
        long lines = options.events() + options.duplicates() + options.conflicts() + options.badLines();
        out.printf("wrote %s: %,d data lines (%,d events, %,d duplicates, %,d conflicting, %,d bad) for %,d users in %s, %.1f s%n",
                options.out(), lines, options.events(), options.duplicates(), options.conflicts(), options.badLines(), options.users(),
                options.period(), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    static Options parse(String[] args) {
        long events = -1;
        int users = -1;
        YearMonth period = null;
        long seed = 42;
        boolean jsonl = false;
        boolean gzip = false;
        boolean uuid = false;
        long duplicates = 0;
        long conflicts = 0;
        long bad = 0;
        Path out = null;
        String idPrefix = "evt-";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--gzip" -> gzip = true;
                case "--events", "--users", "--period", "--seed", "--format", "--ids", "--duplicates", "--conflicts", "--bad-lines", "--out", "--id-prefix" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    String value = args[++i];
                    try {
                        switch (arg) {
                            case "--events" -> events = Long.parseLong(value.replace("_", ""));
                            case "--users" -> users = Integer.parseInt(value.replace("_", ""));
                            case "--period" -> period = YearMonth.parse(value);
                            case "--seed" -> seed = Long.parseLong(value);
                            case "--format" -> {
                                if (!value.equals("csv") && !value.equals("jsonl")) {
                                    throw new IllegalArgumentException("--format is csv or jsonl");
                                }
                                jsonl = value.equals("jsonl");
                            }
                            case "--ids" -> {
                                if (!value.equals("uuid") && !value.equals("seq")) {
                                    throw new IllegalArgumentException("--ids is uuid or seq");
                                }
                                uuid = value.equals("uuid");
                            }
                            case "--duplicates" -> duplicates = Long.parseLong(value);
                            case "--conflicts" -> conflicts = Long.parseLong(value);
                            case "--bad-lines" -> bad = Long.parseLong(value);
                            case "--id-prefix" -> idPrefix = value;
                            default -> out = Path.of(value);
                        }
                    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                        throw new IllegalArgumentException(arg + ": '" + value + "' is not valid");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (events < 0 || users <= 0 || period == null || out == null) {
            throw new IllegalArgumentException("--events, --users, --period and --out are required");
        }
        if ((duplicates > 0 || conflicts > 0) && events == 0) {
            throw new IllegalArgumentException("duplicates need events to repeat");
        }
        if (out.getFileName().toString().endsWith(".gz")) {
            gzip = true;
        }
        return new Options(events, users, period, seed, jsonl, gzip, uuid, duplicates, conflicts, bad, out, idPrefix);
    }

    static void write(Options o) throws IOException {
        if (o.out().getParent() != null) {
            Files.createDirectories(o.out().getParent());
        }
        SplittableRandom random = new SplittableRandom(o.seed());
        long seconds = o.period().lengthOfMonth() * 86_400L;
        String[] dayPrefix = new String[o.period().lengthOfMonth()];
        for (int d = 0; d < dayPrefix.length; d++) {
            dayPrefix[d] = LocalDate.of(o.period().getYear(), o.period().getMonthValue(), d + 1) + "T";
        }
        long total = o.events() + o.duplicates() + o.conflicts() + o.badLines();
        // Specials are spread evenly through the file: every k-th line, chosen by the seed.
        List<String> recent = new ArrayList<>();
        try (OutputStream file = Files.newOutputStream(o.out());
                OutputStream stream = o.gzip() ? new GZIPOutputStream(file, 1 << 16) : file;
                Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 20)) {
            if (!o.jsonl()) {
                writer.write("event_id,timestamp,user_id,metric,quantity\n");
            }
            long eventsLeft = o.events();
            long dupLeft = o.duplicates();
            long conflictLeft = o.conflicts();
            long badLeft = o.badLines();
            long seq = 0;
            StringBuilder line = new StringBuilder(128);
            for (long n = 0; n < total; n++) {
                long remaining = total - n;
                long pick = random.nextLong(remaining);
                line.setLength(0);
                String[] fields;
                if (pick < eventsLeft || (recent.isEmpty() && eventsLeft > 0)) {
                    eventsLeft--;
                    seq++;
                    String id = o.uuidIds() ? new java.util.UUID(random.nextLong(), random.nextLong()).toString() : o.idPrefix() + String.format("%09d", seq);
                    long second = random.nextLong(seconds);
                    int day = (int) (second / 86_400);
                    int rest = (int) (second % 86_400);
                    String ts = dayPrefix[day] + two(rest / 3600) + ":" + two(rest / 60 % 60) + ":" + two(rest % 60) + "Z";
                    double r = random.nextDouble();
                    int user = 1 + (int) (o.users() * r * r * r);
                    int m = random.nextInt(100);
                    String metric = m < 60 ? METRICS[0] : m < 85 ? METRICS[1] : METRICS[2];
                    int quantity = metric.equals(METRICS[2]) ? 1 : 1 + random.nextInt(metric.equals(METRICS[0]) ? 5 : 3);
                    fields = new String[] {id, ts, String.format("user-%06d", Math.min(user, o.users())), metric, Integer.toString(quantity)};
                    if (recent.size() < 1024) {
                        recent.add(String.join("\u0001", fields));
                    } else {
                        recent.set(random.nextInt(1024), String.join("\u0001", fields));
                    }
                } else if (pick < eventsLeft + dupLeft) {
                    dupLeft--;
                    fields = recent.get(random.nextInt(recent.size())).split("\u0001");
                } else if (pick < eventsLeft + dupLeft + conflictLeft) {
                    conflictLeft--;
                    fields = recent.get(random.nextInt(recent.size())).split("\u0001");
                    fields[4] = Long.toString(Long.parseLong(fields[4]) + 1 + random.nextInt(9));
                } else {
                    badLeft--;
                    seq++;
                    fields = new String[] {o.idPrefix() + String.format("bad-%09d", seq), dayPrefix[0] + "12:00:00Z", "user-000001", METRICS[0], "1"};
                    switch (BAD_KINDS[random.nextInt(BAD_KINDS.length)]) {
                        case "missing_field" -> fields[2] = "";
                        case "bad_event_id" -> fields[0] = "x".repeat(129);
                        case "bad_timestamp" -> fields[1] = "2026-13-45 25:61";
                        case "future_timestamp" -> fields[1] = "2099-01-01T00:00:00Z";
                        case "unknown_metric" -> fields[3] = "phone_calls";
                        case "bad_quantity" -> fields[4] = "-3";
                        default -> fields[2] = "user with spaces";
                    }
                }
                if (o.jsonl()) {
                    line.append("{\"event_id\":\"").append(fields[0]).append("\",\"timestamp\":\"").append(fields[1])
                            .append("\",\"user_id\":\"").append(fields[2]).append("\",\"metric\":\"").append(fields[3])
                            .append("\",\"quantity\":").append(fields[4].matches("-?\\d+") ? fields[4] : "\"" + fields[4] + "\"").append("}\n");
                } else {
                    line.append(fields[0]).append(',').append(fields[1]).append(',').append(fields[2]).append(',').append(fields[3])
                            .append(',').append(fields[4]).append('\n');
                }
                writer.append(line);
            }
        }
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
