package com.acme.billing.ingest;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The SQL the DuckDB and PostgreSQL stores share. Classification of a staged file F, per line:
 * <ul>
 * <li>event_id stored from F at this very line: accepted (an earlier attempt stored it);</li>
 * <li>event_id stored from elsewhere: duplicate if the content is identical, else conflicting;</li>
 * <li>not stored: the first line of F with that id is new; later lines compare with that first one.</li>
 * </ul>
 */
abstract class SqlEventStore implements EventStore {

    static final String SAME_CONTENT_E = "(e.ts_us = s.ts_us AND e.user_id = s.user_id AND e.metric = s.metric AND e.quantity = s.quantity)";
    static final String SAME_CONTENT_FR = "(fr.ts_us = s.ts_us AND fr.user_id = s.user_id AND fr.metric = s.metric AND fr.quantity = s.quantity)";

    /** Builds the classification table {@code ingest_cls} (line, outcome and the event's columns). */
    static String classifySql(long fileId) {
        return """
                CREATE TEMP TABLE ingest_cls AS
                WITH multi AS (
                    SELECT event_id, MIN(line) AS first_line FROM staged_events
                    WHERE file_id = %1$d GROUP BY event_id HAVING COUNT(*) > 1
                ), firstrows AS (
                    SELECT s.event_id, s.line, s.ts_us, s.user_id, s.metric, s.quantity
                    FROM staged_events s JOIN multi m ON s.event_id = m.event_id AND s.line = m.first_line
                    WHERE s.file_id = %1$d
                )
                SELECT s.line, s.event_id, s.ts_us, s.month, s.user_id, s.metric, s.quantity,
                    CASE
                        WHEN e.event_id IS NOT NULL AND e.file_id = %1$d AND e.line = s.line THEN 'A'
                        WHEN e.event_id IS NOT NULL THEN CASE WHEN %2$s THEN 'D' ELSE 'C' END
                        WHEN fr.event_id IS NULL OR fr.line = s.line THEN 'N'
                        WHEN %3$s THEN 'D'
                        ELSE 'C'
                    END AS outcome
                FROM staged_events s
                LEFT JOIN usage_events e ON e.event_id = s.event_id
                LEFT JOIN firstrows fr ON fr.event_id = s.event_id
                WHERE s.file_id = %1$d
                """.formatted(fileId, SAME_CONTENT_E, SAME_CONTENT_FR);
    }

    static String insertNewSql(long fileId) {
        return "INSERT INTO usage_events (event_id, ts_us, month, user_id, metric, quantity, file_id, line) "
                + "SELECT event_id, ts_us, month, user_id, metric, quantity, " + fileId + ", line FROM ingest_cls WHERE outcome = 'N'";
    }

    static String touchedTotalsSql(Collection<Long> fileIds) {
        String ids = fileIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        return """
                SELECT u.user_id, u.metric, u.month, SUM(u.quantity) AS total
                FROM usage_events u
                JOIN (SELECT DISTINCT user_id, metric, month FROM usage_events WHERE file_id IN (%s)) k
                  ON u.user_id = k.user_id AND u.metric = k.metric AND u.month = k.month
                GROUP BY u.user_id, u.metric, u.month
                ORDER BY u.month, u.user_id, u.metric
                """.formatted(ids);
    }

    static String idList(Collection<Long> fileIds) {
        return fileIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
