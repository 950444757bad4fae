package com.acme.billing.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperReport;
import org.springframework.stereotype.Component;

/**
 * The JRXML templates of {@code reports-templates/} (packed into the jar at build), each compiled
 * once per process on first use and then shared by every fill: compiling is the slow part
 * (about a second), filling takes milliseconds.
 */
@Component
public class ReportTemplates {

    public static final String STATEMENT = "statement";
    public static final String FINANCE = "finance-report";

    private final Map<String, JasperReport> compiled = new ConcurrentHashMap<>();

    public JasperReport get(String name) {
        return compiled.computeIfAbsent(name, ReportTemplates::compile);
    }

    private static JasperReport compile(String name) {
        String resource = "reports-templates/" + name + ".jrxml";
        try (InputStream in = ReportTemplates.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("report template " + resource + " is not in the application");
            }
            return JasperCompileManager.compileReport(in);
        } catch (IOException | JRException e) {
            throw new IllegalStateException("cannot compile " + resource + ": " + e.getMessage(), e);
        }
    }
}
