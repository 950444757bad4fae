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
import net.sf.jasperreports.engine.JRRuntimeException;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.data.JRMapCollectionDataSource;
import net.sf.jasperreports.engine.util.JRLoader;
import net.sf.jasperreports.export.SimpleExporterInput;
import net.sf.jasperreports.export.SimpleOutputStreamExporterOutput;
import net.sf.jasperreports.pdf.SimplePdfReportConfiguration;
import net.sf.jasperreports.pdf.JRPdfExporter;
import net.sf.jasperreports.pdf.common.PdfImage;

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

    /**
     * JasperReports' PDF exporter loads a one-pixel PNG from the class path for the first image of every document it
     * exports (the chart, on every statement): a search through every jar of the class path, 9 % of the rendering threads'
     * samples in a JFR profile of {@code jobs/bench-reports} (docs/benchmarks.md). The bytes are read once here; each
     * exporter still makes its own image of them for its own document, as the original does.
     */
    private static final class PixelCachingPdfExporter extends JRPdfExporter {

        private static final byte[] PIXEL;

        static {
            try {
                PIXEL = JRLoader.loadBytesFromResource("net/sf/jasperreports/engine/images/white-transparent-pixel.png");
            } catch (JRException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Override
        protected PdfImage getPxImage() {
            if (pxImage == null) {
                try {
                    pxImage = pdfProducer.createImage(PIXEL, false);
                } catch (IOException | JRException e) {
                    // as JRPdfExporter itself answers a pixel it cannot make
                    throw new JRRuntimeException(e);
                }
            }
            return pxImage;
        }
    }

    public static void render(JasperReport template, Map<String, Object> parameters, List<Map<String, ?>> rows, Path target) {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            JasperPrint print = JasperFillManager.fillReport(template, parameters, new JRMapCollectionDataSource(rows));
            try (OutputStream out = Files.newOutputStream(temporary)) {
                JRPdfExporter exporter = new PixelCachingPdfExporter();
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
