package com.acme.billing.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.PrintStream;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a command prints: human lines on stdout, errors on stderr, and with {@code --json} the
 * command's result record, written by Jackson as one JSON object on the very last line of stdout
 * (SPEC 1). Record components are camelCase in Java and snake_case on the wire, in declaration order.
 */
public final class Console {

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final java.io.InputStream in;

    public Console(PrintStream out, PrintStream err, boolean json) {
        this(out, err, json, System.in);
    }

    public Console(PrintStream out, PrintStream err, boolean json, java.io.InputStream in) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.in = in;
    }

    /** A console that prints nothing on stdout (the demo runs commands quietly and prints its own lines). */
    Console quiet() {
        return new Console(new PrintStream(java.io.OutputStream.nullOutputStream()), err, false, in);
    }

    /**
     * The first line of standard input, without its line end: how a secret (a password) reaches a command without
     * appearing in the process list or the shell's history. Null when the input is empty.
     */
    public String readSecretLine() throws java.io.IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int b;
        boolean any = false;
        while ((b = in.read()) != -1 && b != '\n') {
            any = true;
            line.write(b);
        }
        if (!any && b == -1) {
            return null;
        }
        String text = line.toString(java.nio.charset.StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    public void say(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(format, args));
    }

    public void warn(String message) {
        err.println("billing: " + message);
    }

    public boolean json() {
        return json;
    }

    /** Prints the result record as the --json line (when asked for) and returns 0. */
    public int done(Object result) {
        if (json) {
            out.println(JSON.writeValueAsString(result));
        }
        return 0;
    }

    /** The --json line of a failure (SPEC 1): the message, and the execution to restart where a job ran. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String error, Long executionId) {
    }

    /** Prints an error to stderr and, with --json, {@code {"error":…,"execution_id":N}} to stdout. */
    public int fail(int exitCode, String message, Long executionId) {
        return fail(exitCode, message, new Failure(message, executionId));
    }

    /** As {@link #fail(int, String, Long)}, with a failure record of the command's own (counts of what was done before). */
    public int fail(int exitCode, String message, Object failure) {
        err.println("billing: " + message);
        if (json) {
            out.println(JSON.writeValueAsString(failure));
        }
        return exitCode;
    }
}
