package com.acme.billing.console;

import com.acme.billing.experiment.store.ExperimentResults;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.BillingPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code /console/finance} (SPEC 12): each month's report files to download (the statements as one zip), MRR, ARR,
 * logo churn and ARPU over the months from the analytics runs (SPEC 9), else the billed totals from the invoices,
 * and the results of the pricing experiments.
 */
@Controller
class FinancePageController {

    /** The files of a month's reports that finance may download, in the order shown. Nothing else is served. */
    static final List<String> REPORT_FILES = List.of("finance-report.pdf", "invoice-lines.csv", "usage-summary.csv", "revenue-summary.csv",
            "analytics.csv", "cohorts.csv");

    record ReportFile(String name, long bytes) {
    }

    record MonthReports(String period, List<ReportFile> files, long statements) {
    }

    private static final List<String> TRENDS = List.of("mrr", "arr", "logo_churn_rate", "arpu");

    private final BillingPaths paths;
    private final JdbcClient jdbc;
    private final ExperimentResults experiments;
    private final Clock clock;

    FinancePageController(BillingPaths paths, JdbcClient jdbc, ExperimentResults experiments, Clock clock) {
        this.paths = paths;
        this.jdbc = jdbc;
        this.experiments = experiments;
        this.clock = clock;
    }

    @GetMapping("/console/finance")
    String page(@RequestParam(name = "period", required = false) String periodParam, Model model) {
        BillingPeriod current = BillingPeriod.containing(clock.instant());
        List<MonthReports> months = reportedMonths(current);
        model.addAttribute("months", months);
        String period = periodParam != null && !periodParam.isBlank() ? checked(periodParam)
                : months.isEmpty() ? current.toString() : months.get(0).period();
        model.addAttribute("period", period);
        model.addAttribute("selected", months.stream().filter(m -> m.period().equals(period)).findFirst().orElse(null));
        model.addAttribute("trends", trends());
        model.addAttribute("figures", figures(period));
        model.addAttribute("experiments", experiments.all().stream().map(e -> experiments.of(e.id()).orElseThrow()).toList());
        return "finance";
    }

    @GetMapping("/console/finance/reports/{period}/{file}")
    ResponseEntity<StreamingResponseBody> download(@PathVariable("period") String period, @PathVariable("file") String file) {
        Path dir = paths.reports().resolve(checked(period));
        if (file.equals("statements.zip")) {
            Path invoices = dir.resolve("invoices");
            if (!Files.isDirectory(invoices)) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
            StreamingResponseBody zip = out -> zipStatements(invoices, out);
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                    .header("Content-Disposition", "attachment; filename=\"statements-" + period + ".zip\"").body(zip);
        }
        if (!REPORT_FILES.contains(file) || !Files.isRegularFile(dir.resolve(file))) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        Path path = dir.resolve(file);
        MediaType type = file.endsWith(".pdf") ? MediaType.APPLICATION_PDF : MediaType.parseMediaType("text/csv; charset=utf-8");
        return ResponseEntity.ok().contentType(type).header("Content-Disposition", "attachment; filename=\"" + period + "-" + file + "\"")
                .body(out -> Files.copy(path, out));
    }

    private static String checked(String period) {
        try {
            return BillingPeriod.parse(period).toString();
        } catch (RuntimeException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "period: YYYY-MM");
        }
    }

    private List<MonthReports> reportedMonths(BillingPeriod current) {
        Path root = paths.reports();
        List<MonthReports> months = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return months;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                String name = dir.getFileName().toString();
                if (!name.matches("\\d{4}-\\d{2}")) {
                    continue;
                }
                List<ReportFile> files = new ArrayList<>();
                for (String file : REPORT_FILES) {
                    Path path = dir.resolve(file);
                    if (Files.isRegularFile(path)) {
                        files.add(new ReportFile(file, Files.size(path)));
                    }
                }
                long statements = 0;
                if (Files.isDirectory(dir.resolve("invoices"))) {
                    try (Stream<Path> pdfs = Files.list(dir.resolve("invoices"))) {
                        statements = pdfs.filter(p -> p.toString().endsWith(".pdf")).count();
                    }
                }
                months.add(new MonthReports(name, files, statements));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return months;
    }

    private static void zipStatements(Path invoices, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> pdfs = Files.list(invoices)) {
            for (Path pdf : pdfs.filter(p -> p.toString().endsWith(".pdf")).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(pdf.getFileName().toString()));
                Files.copy(pdf, zip);
                zip.closeEntry();
            }
        }
    }

    /** The book's figures of one month (tier "all"), as analytics wrote them. */
    private Map<String, String> figures(String period) {
        Map<String, String> figures = new LinkedHashMap<>();
        jdbc.sql("SELECT metric, figure FROM analytics_figures WHERE period = ? AND tier = 'all' ORDER BY row_no").param(period)
                .query(rs -> {
                    figures.put(rs.getString(1), rs.getString(2));
                });
        return figures;
    }

    /**
     * Chart.js data for the four trends over every month analytics ran (at most the last 24); where analytics never
     * ran, the invoices' billed total per month stands in, and the page says so.
     */
    private Map<String, Object> trends() {
        Map<String, Map<String, String>> byMetric = new LinkedHashMap<>();
        TRENDS.forEach(m -> byMetric.put(m, new LinkedHashMap<>()));
        Set<String> periods = new TreeSet<>();
        jdbc.sql("SELECT period, metric, figure FROM analytics_figures WHERE tier = 'all' AND metric IN ('mrr', 'arr', 'logo_churn_rate', 'arpu') "
                        + "ORDER BY period")
                .query(rs -> {
                    periods.add(rs.getString(1));
                    byMetric.get(rs.getString(2)).put(rs.getString(1), rs.getString(3));
                });
        List<String> labels = new ArrayList<>(periods);
        if (labels.size() > 24) {
            labels = labels.subList(labels.size() - 24, labels.size());
        }
        Map<String, Object> charts = new LinkedHashMap<>();
        if (labels.isEmpty()) {
            Map<String, String> billed = new LinkedHashMap<>();
            jdbc.sql("SELECT period, SUM(total) FROM invoices GROUP BY period ORDER BY period")
                    .query(rs -> {
                        billed.put(rs.getString(1), rs.getBigDecimal(2).toPlainString());
                    });
            charts.put("billed", chart("billed total", new ArrayList<>(billed.keySet()), billed));
            charts.put("source", "invoices (analytics has not run)");
            return charts;
        }
        for (String metric : TRENDS) {
            charts.put(metric, chart(metric.replace('_', ' '), labels, byMetric.get(metric)));
        }
        charts.put("source", "analytics");
        return charts;
    }

    private static String chart(String label, List<String> labels, Map<String, String> values) {
        List<Object> data = new ArrayList<>();
        for (String period : labels) {
            String figure = values.get(period);
            data.add(figure == null || figure.isEmpty() ? null : new java.math.BigDecimal(figure));
        }
        return ChartJson.of(Map.of("type", "line",
                "data", Map.of("labels", labels, "datasets", List.of(Map.of("label", label, "data", data, "borderColor", "#2457c5",
                        "backgroundColor", "#2457c5", "tension", 0))),
                "options", Map.of("responsive", true, "maintainAspectRatio", false, "animation", false,
                        "plugins", Map.of("legend", Map.of("display", false), "title", Map.of("display", true, "text", label)),
                        "scales", Map.of("y", Map.of("beginAtZero", true)))));
    }
}
