package com.acme.billing.support;

import com.acme.billing.BillingApplication;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Runs {@code jobs/billing} commands in this JVM, as the launcher would, and captures what they print. */
public final class Cli {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Result(int exit, String out, String err) {

        /** The --json line: the last line of stdout. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> json() {
            List<String> lines = out.lines().toList();
            if (lines.isEmpty()) {
                throw new AssertionError("no output; stderr: " + err);
            }
            return JSON.readValue(lines.get(lines.size() - 1), Map.class);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env;
    private final String input;

    public Cli(Map<String, String> env) {
        this(env, "");
    }

    private Cli(Map<String, String> env, String input) {
        this.env = new HashMap<>(env);
        this.input = input;
    }

    public Cli with(String variable, String value) {
        Cli copy = new Cli(env, input);
        copy.env.put(variable, value);
        return copy;
    }

    /** The same commands with this text on standard input (a password for console-user create). */
    public Cli withInput(String text) {
        return new Cli(env, text);
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = BillingApplication.run(env, new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), o, e, args);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs and insists on exit 0. */
    public Result ok(String... args) {
        Result result = run(args);
        if (result.exit() != 0) {
            throw new AssertionError("expected exit 0 from " + String.join(" ", args) + "\n" + result);
        }
        return result;
    }
}
