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
    public static int[] csvColumns(String header) {
        List<String> names = splitCsv(header.replace("\uFEFF", ""));
        if (names == null) {
            return null;
        }
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            positions.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        int[] columns = new int[UsageLine.COLUMNS.length];
        for (int i = 0; i < columns.length; i++) {
            Integer position = positions.get(UsageLine.COLUMNS[i]);
            if (position == null) {
                return null;
            }
            columns[i] = position;
        }
        return columns;
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

    public static UsageLine csvLine(long lineNo, String raw, int[] columns) {
        if (raw.indexOf('\uFFFD') >= 0) {
            return new UsageLine(lineNo, raw, null, "bad_encoding");
        }
        String[] fields = new String[UsageLine.COLUMNS.length];
        if (raw.indexOf('"') < 0) {
            // Fast path: no quoting, so fields are just the text between commas.
            int column = 0;
            int start = 0;
            int wanted = 0;
            for (int c : columns) {
                wanted = Math.max(wanted, c);
            }
            String[] byColumn = new String[wanted + 1];
            while (column <= wanted) {
                int comma = raw.indexOf(',', start);
                String value = comma < 0 ? raw.substring(start) : raw.substring(start, comma);
                byColumn[column++] = value.trim();
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
            for (int i = 0; i < fields.length; i++) {
                fields[i] = byColumn[columns[i]];
            }
            return new UsageLine(lineNo, raw, fields, null);
        }
        List<String> values = splitCsv(raw);
        if (values == null) {
            return new UsageLine(lineNo, raw, null, "malformed_line");
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = columns[i] < values.size() ? values.get(columns[i]).trim() : null;
        }
        return new UsageLine(lineNo, raw, fields, null);
    }

    /** RFC 4180 fields of one line; null when a quote is not closed on that line. */
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
            return new UsageLine(lineNo, raw, null, "bad_encoding");
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JacksonException e) {
            return new UsageLine(lineNo, raw, null, "malformed_line");
        }
        if (node == null || !node.isObject()) {
            return new UsageLine(lineNo, raw, null, "malformed_line");
        }
        String[] fields = new String[UsageLine.COLUMNS.length];
        for (int i = 0; i < fields.length; i++) {
            JsonNode value = node.get(UsageLine.COLUMNS[i]);
            if (value == null || value.isNull()) {
                fields[i] = null;
            } else if (value.isString()) {
                fields[i] = value.stringValue().trim();
            } else if (value.isNumber() || value.isBoolean()) {
                // A number keeps its written form, so 3.0 or 1e3 fails the whole-number rule.
                fields[i] = value.toString();
            } else {
                fields[i] = value.toString();
            }
        }
        return new UsageLine(lineNo, raw, fields, null);
    }
}
