package com.acme.billing.gdpr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers that turn rows into the export's values: ordered maps, ISO-8601 instants, amounts as strings. */
final class Rows {

    private Rows() {
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** An instant column as ISO-8601 UTC, or null. */
    static String instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }

    /** An amount with exactly the currency's minor digits, as a string. */
    static String amount(BigDecimal amount, int digits) {
        return amount == null ? null : amount.setScale(digits, RoundingMode.HALF_UP).toPlainString();
    }

    /** A quantity or price as written, without trailing zeros (never in exponent form). */
    static String decimal(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }
}
