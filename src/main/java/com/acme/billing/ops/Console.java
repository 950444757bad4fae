package com.acme.billing.ops;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a command prints: human lines on stdout, errors on stderr, and with {@code --json} one JSON
 * object as the very last line of stdout (SPEC 1).
 */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    public Console(PrintStream out, PrintStream err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    public void say(String format, Object... args) {
        out.println(args.length == 0 ? format : String.format(format, args));
    }

    public void warn(String message) {
        err.println("billing: " + message);
    }

    public PrintStream err() {
        return err;
    }

    public boolean json() {
        return json;
    }

    /** Prints the --json line (when asked for) and returns 0. */
    public int done(Map<String, Object> result) {
        if (json) {
            out.println(Json.write(result));
        }
        return 0;
    }

    /** Prints an error to stderr and, with --json, {@code {"error":…,"execution_id":N}} to stdout. */
    public int fail(int exitCode, String message, Long executionId) {
        return fail(exitCode, message, executionId, Map.of());
    }

    /** As {@link #fail(int, String, Long)}, with more keys in the JSON line (counts of what was done before the failure). */
    public int fail(int exitCode, String message, Long executionId, Map<String, Object> more) {
        err.println("billing: " + message);
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("error", message);
            if (executionId != null) {
                result.put("execution_id", executionId);
            }
            result.putAll(more);
            out.println(Json.write(result));
        }
        return exitCode;
    }
}
