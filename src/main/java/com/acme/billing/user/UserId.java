package com.acme.billing.user;

import java.util.Optional;

/**
 * A user's id (SPEC 2): 1-64 characters of {@code [A-Za-z0-9._:@-]}. The rule lives here only; every
 * door (usage logs, the subscription CSV, Stripe webhooks) asks it, so an id that could become a path
 * ({@code ../x}), a CSV cell ({@code a,b"c}), a formula ({@code =HYPERLINK(...)}) or a log line (a
 * newline, a NUL) never gets in. The canonical constructor applies the same rule, so no {@code UserId}
 * that breaks it can exist, whoever builds it.
 */
public record UserId(String value) {

    public static final int MAX_LENGTH = 64;
    /** The rule as operators read it in messages. */
    public static final String RULE = "1-" + MAX_LENGTH + " characters of [A-Za-z0-9._:@-]";

    public UserId {
        String problem = problemOf(value);
        if (problem != null) {
            throw new IllegalArgumentException("bad user id " + quote(value) + ": " + problem + " (" + RULE + ")");
        }
    }

    /** @throws IllegalArgumentException naming the id (quoted safely) and what is wrong with it */
    public static UserId parse(String text) {
        return new UserId(text);
    }

    /**
     * For parsers that collect every bad line: what is wrong with {@code text} as a user id, or empty
     * when it is one. The reason never repeats the id's characters raw.
     */
    public static Optional<String> problem(String text) {
        return Optional.ofNullable(problemOf(text));
    }

    public static boolean isValid(String text) {
        return problemOf(text) == null;
    }

    // A loop rather than a regex: the usage-log door asks this for every line of multi-million-line files.
    private static String problemOf(String text) {
        if (text == null || text.isEmpty()) {
            return "empty";
        }
        int n = text.length();
        if (n > MAX_LENGTH) {
            return n + " characters, at most " + MAX_LENGTH;
        }
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!allowed(c)) {
                return "character " + describe(c) + " at position " + (i + 1) + " is not allowed";
            }
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '@' || c == '-';
    }

    private static String describe(char c) {
        String code = String.format("U+%04X", (int) c);
        return c >= 0x21 && c <= 0x7e ? "'" + c + "' (" + code + ")" : code;
    }

    /**
     * Text that may or may not be a user id, fit for a message or a log line: in single quotes, cut to
     * 80 characters (with its length when longer), every character outside printable ASCII written as
     * {@code \}{@code uXXXX}, so a newline or a NUL cannot forge a line of output.
     */
    public static String quote(String text) {
        if (text == null) {
            return "(none)";
        }
        int shown = Math.min(text.length(), 80);
        StringBuilder out = new StringBuilder(shown + 16).append('\'');
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c <= 0x7e && c != '\\' && c != '\'') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append('\'');
        if (text.length() > shown) {
            out.append("... (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return value;
    }
}
