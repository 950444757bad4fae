package com.acme.billing.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.data.JRMapCollectionDataSource;
import net.sf.jasperreports.export.SimpleExporterInput;
import net.sf.jasperreports.export.SimpleOutputStreamExporterOutput;
import net.sf.jasperreports.pdf.SimplePdfReportConfiguration;
import net.sf.jasperreports.pdf.JRPdfExporter;

/**
 * Fills a compiled template and exports it as PDF to a temporary name beside the target, then renames
 * it: a reader (or a process killed half-way) never sees half a PDF. Thread-safe: compiled
 * templates are shared, each fill has its own state.
 */
public final class PdfRenderer {

    /**
     * The chart's labels are written as PDF text in the embedded font instead of as glyph outlines
     * (JasperReports' default turns every character of a chart into a path): a third of the export
     * time went into those outlines, and the text stays selectable.
     */
    private static final SimplePdfReportConfiguration TEXT_AS_TEXT = new SimplePdfReportConfiguration();

    static {
        TEXT_AS_TEXT.setForceSvgShapes(false);
    }

    private PdfRenderer() {
    }

    public static void render(JasperReport template, Map<String, Object> parameters, List<Map<String, ?>> rows, Path target) {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            JasperPrint print = JasperFillManager.fillReport(template, parameters, new JRMapCollectionDataSource(rows));
            try (OutputStream out = Files.newOutputStream(temporary)) {
                JRPdfExporter exporter = new JRPdfExporter();
                exporter.setExporterInput(new SimpleExporterInput(print));
                exporter.setExporterOutput(new SimpleOutputStreamExporterOutput(out));
                exporter.setConfiguration(TEXT_AS_TEXT);
                exporter.exportReport();
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (JRException e) {
            throw new IllegalStateException("rendering " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target + ": " + e.getMessage(), e);
        }
    }
}
