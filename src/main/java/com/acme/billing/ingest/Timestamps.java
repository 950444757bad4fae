package com.acme.billing.ingest;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parses ISO-8601 timestamps with {@code Z} or an offset into epoch microseconds. The common shape
 * ({@code 2026-10-03T14:22:05Z}, optional fraction, offset) is parsed by hand because it runs once
 * per event, ten million times per big file; anything else goes through {@link DateTimeFormatter}.
 */
public final class Timestamps {

    /** Returned for text that is not an ISO-8601 instant with an offset. */
    public static final long INVALID = Long.MIN_VALUE;

    private Timestamps() {
    }

    public static long parseMicros(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return slow(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59 || second > 59) {
            return slow(s);
        }
        int i = 19;
        long micros = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            int start = i;
            long fraction = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                int d = s.charAt(i) - '0';
                if (i - start < 6) {
                    fraction = fraction * 10 + d;
                } else if (d != 0) {
                    return INVALID; // finer than a microsecond: would be stored rounded, so refuse it
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return INVALID;
            }
            for (int k = Math.min(count, 6); k < 6; k++) {
                fraction *= 10;
            }
            micros = fraction;
        }
        int offsetSeconds;
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i + 6 == n && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return INVALID;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return slow(s);
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return INVALID;
        }
        long seconds = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000 + micros;
    }

    /** yyyymm of the UTC month holding the instant. */
    public static int month(long micros) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(Math.floorDiv(micros, 1_000_000), 86_400));
        return date.getYear() * 100 + date.getMonthValue();
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long slow(String s) {
        try {
            OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (t.getNano() % 1000 != 0) {
                return INVALID;
            }
            return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000L), t.getNano() / 1000);
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }
}
