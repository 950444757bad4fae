package com.acme.billing.analytics.job;

import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.InputRefusedException;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.exceptions.CsvException;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code import-costs FILE}: acquisition costs, CSV {@code month,channel,amount} (SPEC 9, for CAC).
 * Every line is checked first; any bad line refuses the whole file, each problem named by line. A
 * file's row for a month and channel already stored replaces it (importing a corrected file again
 * is how a cost is fixed); the other stored rows stay.
 */
@Service
public class CostImport {

    public record Cost(BillingPeriod month, String channel, BigDecimal amount) {
    }

    /** month -> the sum over the file's channels. */
    public record Result(int rows, Map<String, BigDecimal> byMonth) {
    }

    private static final List<String> HEADER = List.of("month", "channel", "amount");
    private static final int MAX_LISTED = 50;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public CostImport(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    public Result importFile(Path file) {
        List<Cost> costs;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            costs = parse(in, file.toString());
        } catch (IOException e) {
            throw new InputRefusedException(file + ": cannot read: " + e.getMessage());
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        tx.executeWithoutResult(status -> {
            for (Cost cost : costs) {
                jdbc.sql("DELETE FROM acquisition_costs WHERE period = ? AND channel = ?").params(cost.month().toString(), cost.channel()).update();
                jdbc.sql("INSERT INTO acquisition_costs (period, channel, amount, source, imported_at) VALUES (?, ?, ?, ?, ?)")
                        .params(cost.month().toString(), cost.channel(), cost.amount(), file.toAbsolutePath().toString(), now).update();
            }
        });
        Map<String, BigDecimal> byMonth = new TreeMap<>();
        costs.forEach(c -> byMonth.merge(c.month().toString(), c.amount(), BigDecimal::add));
        return new Result(costs.size(), byMonth);
    }

    static List<Cost> parse(Reader input, String source) {
        List<Cost> costs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        try (CSVReader reader = new CSVReaderBuilder(input).build()) {
            String[] header = reader.readNext();
            if (header == null) {
                throw new InputRefusedException(source + ": empty file, expected the header month,channel,amount");
            }
            Map<String, Integer> columns = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                columns.put(header[i].trim().toLowerCase(Locale.ROOT).replace("\uFEFF", ""), i);
            }
            if (!columns.keySet().containsAll(HEADER)) {
                throw new InputRefusedException(source + ": line 1: header must be month,channel,amount (found " + String.join(",", header) + ")");
            }
            long lineNo = reader.getLinesRead();
            String[] row;
            while ((row = reader.readNext()) != null) {
                long line = lineNo + 1;
                lineNo = reader.getLinesRead();
                if (row.length == 1 && row[0].isBlank()) {
                    continue;
                }
                String month = field(row, columns.get("month"));
                String channel = field(row, columns.get("channel"));
                String amountText = field(row, columns.get("amount"));
                BillingPeriod period = null;
                BigDecimal amount = null;
                String problem = null;
                try {
                    period = BillingPeriod.parse(month);
                } catch (IllegalArgumentException e) {
                    problem = "bad month '" + month + "' (YYYY-MM)";
                }
                if (problem == null && (channel.isEmpty() || channel.length() > 128)) {
                    problem = "bad channel '" + channel + "' (1 to 128 characters)";
                }
                if (problem == null) {
                    try {
                        amount = new BigDecimal(amountText);
                        if (amount.signum() < 0 || amount.scale() > 6) {
                            problem = "bad amount '" + amountText + "' (a decimal at least 0, at most 6 decimals)";
                        }
                    } catch (NumberFormatException e) {
                        problem = "bad amount '" + amountText + "' (a decimal at least 0, at most 6 decimals)";
                    }
                }
                if (problem == null) {
                    Long first = seen.putIfAbsent(month + "\u0000" + channel, line);
                    if (first != null) {
                        problem = "month " + month + " and channel '" + channel + "' again (first on line " + first + ")";
                    }
                }
                if (problem != null) {
                    problems.add(source + ": line " + line + ": " + problem);
                } else {
                    costs.add(new Cost(period, channel, amount));
                }
            }
        } catch (IOException | CsvException e) {
            throw new InputRefusedException(source + ": cannot read as CSV: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            List<String> listed = problems.subList(0, Math.min(MAX_LISTED, problems.size()));
            throw new InputRefusedException(source + ": " + problems.size() + " bad line(s), nothing imported:\n  " + String.join("\n  ", listed)
                    + (problems.size() > MAX_LISTED ? "\n  ... and " + (problems.size() - MAX_LISTED) + " more" : ""));
        }
        return costs;
    }

    private static String field(String[] row, int column) {
        return column < row.length ? row[column].trim() : "";
    }
}
