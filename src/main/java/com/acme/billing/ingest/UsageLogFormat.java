package com.acme.billing.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Splits the lines of a usage log into the five fields: CSV (RFC 4180 quoting within one line,
 * columns found by the header) or JSON Lines (one object a line, same keys).
 */
public final class UsageLogFormat {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UsageLogFormat() {
    }

    /**
     * Column positions of the five fields in a CSV header, or null when a required column is missing.
     */
    public static UsageLine.CsvColumns csvColumns(String header) {
        List<String> names = splitCsv(header.replace("\uFEFF", ""));
        if (names == null) {
            return null;
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            positions.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        if (!positions.keySet().containsAll(UsageLine.COLUMNS)) {
            return null;
        }
        return new UsageLine.CsvColumns(positions.get("event_id"), positions.get("timestamp"), positions.get("user_id"),
                positions.get("metric"), positions.get("quantity"));
    }

    public static List<String> missingCsvColumns(String header) {
        List<String> names = splitCsv(header.replace("\uFEFF", ""));
        List<String> missing = new ArrayList<>();
        for (String column : UsageLine.COLUMNS) {
            if (names == null || names.stream().noneMatch(n -> n.trim().equalsIgnoreCase(column))) {
                missing.add(column);
            }
        }
        return missing;
    }

    public static UsageLine csvLine(long lineNo, String raw, UsageLine.CsvColumns columns) {
        if (raw.indexOf('\uFFFD') >= 0) {
            return UsageLine.malformed(lineNo, raw, "bad_encoding");
        }
        if (raw.indexOf('"') < 0) {
            // Fast path: no quoting, so fields are just the text between commas, up to the last column needed.
            List<String> values = new ArrayList<>(columns.last() + 1);
            int start = 0;
            while (values.size() <= columns.last()) {
                int comma = raw.indexOf(',', start);
                values.add(comma < 0 ? raw.substring(start) : raw.substring(start, comma));
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
            return UsageLine.of(lineNo, raw, columns.pick(values));
        }
        List<String> values = splitCsv(raw);
        if (values == null) {
            return UsageLine.malformed(lineNo, raw, "malformed_line");
        }
        return UsageLine.of(lineNo, raw, columns.pick(values));
    }

    /**
     * RFC 4180 fields of one line; null when a quote is not closed on that line. Hand-written rather than
     * OpenCSV's parser: a usage log is read line by line, and a quote left open must make that one line
     * {@code malformed_line} (with its own line number), where a CSV reader would swallow the lines after it.
     */
    static List<String> splitCsv(String line) {
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        current.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    current.append(c);
                }
            } else if (c == '"' && current.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                current.setLength(0);
            } else if (c == ',') {
                values.add(current.toString());
                current.setLength(0);
                wasQuoted = false;
            } else if (c == '"') {
                return null;
            } else if (wasQuoted && c != ' ') {
                return null;
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        values.add(current.toString());
        return values;
    }

    /** True when the text is one JSON object (the test a JSON Lines file's first line must pass). */
    public static boolean isJsonObject(String line) {
        try {
            return JSON.readTree(line).isObject();
        } catch (JacksonException e) {
            return false;
        }
    }

    public static UsageLine jsonLine(long lineNo, String raw) {
        if (raw.indexOf('\uFFFD') >= 0) {
            return UsageLine.malformed(lineNo, raw, "bad_encoding");
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JacksonException e) {
            return UsageLine.malformed(lineNo, raw, "malformed_line");
        }
        if (node == null || !node.isObject()) {
            return UsageLine.malformed(lineNo, raw, "malformed_line");
        }
        return UsageLine.of(lineNo, raw, fields(node));
    }

    /** The five fields of one JSON event, by the rule of the JSON Lines logs (also the rule of the online API). */
    public static UsageLine.Fields fields(JsonNode object) {
        return new UsageLine.Fields(text(object, "event_id"), text(object, "timestamp"), text(object, "user_id"), text(object, "metric"),
                text(object, "quantity"));
    }

    /** A string trimmed; a number (or anything else) in its written form, so 3.0 or 1e3 fails the whole-number rule. */
    private static String text(JsonNode object, String key) {
        JsonNode value = object.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isString() ? value.stringValue().trim() : value.toString();
    }
}
