package com.acme.billing.audit;

import java.util.Map;
import java.util.regex.Pattern;

/** The rules every text of an audit row follows, and the canonical JSON spelling the hash chain is computed over. */
public final class AuditText {

    /** An e-mail address in a message (a refusal may quote the address it refused): the log keeps no personal data. */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    /** An API key's secret ({@code bk_} and 43 base64url characters), should one ever appear in a message. */
    private static final Pattern API_KEY_SECRET = Pattern.compile("bk_[A-Za-z0-9_-]{20,}");

    private AuditText() {
    }

    /**
     * A field as stored: NUL (which PostgreSQL text cannot hold) replaced, at most {@code max} characters (cut with
     * "…"); null or blank refused when {@code required}, null when not.
     */
    static String field(String what, String text, int max, boolean required) {
        if (text == null || text.isBlank()) {
            if (required) {
                throw new IllegalArgumentException("an audit row needs its " + what);
            }
            return null;
        }
        String clean = text.replace('\u0000', '\uFFFD');
        return clean.length() <= max ? clean : clean.substring(0, max - 1) + "…";
    }

    /** The text with e-mail addresses and API key secrets replaced by {@code <e-mail>} and {@code <api-key>}. */
    public static String redacted(String text) {
        if (text == null) {
            return null;
        }
        return API_KEY_SECRET.matcher(EMAIL.matcher(text).replaceAll("<e-mail>")).replaceAll("<api-key>");
    }

    /** A JSON string literal: {@code "} and {@code \} escaped, every character below U+0020 as {@code \}{@code u00XX}; null as {@code null}. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * The details of a row as stored: a JSON object of string values, keys in their natural order, in the spelling of
     * {@link #quote}; null for no details. Keys are {@code [a-z0-9_]+}; values are the caller's choice (never a secret or a customer's personal data), not redacted.
     */
    public static String details(Map<String, String> details) {
        if (details == null || details.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder("{");
        new java.util.TreeMap<>(details).forEach((key, value) -> {
            if (!key.matches("[a-z0-9_]{1,40}")) {
                throw new IllegalArgumentException("audit detail key '" + key + "': [a-z0-9_], at most 40");
            }
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(key)).append(':').append(quote(field(key, value, 500, false)));
        });
        return out.append('}').toString();
    }
}
