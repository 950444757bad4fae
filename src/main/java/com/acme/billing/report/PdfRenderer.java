package com.acme.billing.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.AttributedCharacterIterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import com.lowagie.text.Chunk;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Font;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.Element;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfWriter;
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
import net.sf.jasperreports.pdf.classic.ClassicChunk;
import net.sf.jasperreports.pdf.classic.ClassicPdfProducer;
import net.sf.jasperreports.pdf.classic.ClassicPdfUtils;
import net.sf.jasperreports.pdf.classic.ClassicPhrase;
import net.sf.jasperreports.pdf.common.PdfChunk;
import net.sf.jasperreports.pdf.common.PdfDocumentWriter;
import net.sf.jasperreports.pdf.common.PdfImage;
import net.sf.jasperreports.pdf.common.PdfPhrase;
import net.sf.jasperreports.pdf.common.PdfProducerContext;
import net.sf.jasperreports.pdf.common.PdfProducerFactory;
import net.sf.jasperreports.pdf.common.PdfTextAlignment;
import net.sf.jasperreports.pdf.common.TextDirection;

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
     * JasperReports' PDF exporter, with costs of every statement taken out (each measured in a JFR profile of
     * {@code jobs/bench-reports}, docs/benchmarks.md); the pages it writes are the same, pixel for pixel, and its
     * streams are deflated faster ({@link StatementPdfProducer}).
     * <ul>
     * <li>It loads a one-pixel PNG from the class path for the first image of every document (the chart, on every
     * statement): a search through every jar of the class path, 9 % of the rendering threads' samples. The bytes are read
     * once here; each exporter still makes its own image of them for its own document, as the original does, but in
     * memory (below).
     * <li>It lays out every text left to right <em>with</em> the Unicode bidirectional algorithm, which OpenPDF runs on
     * each paragraph (4.5 % of the samples). A paragraph with no character from the Hebrew block on (U+0590: Hebrew,
     * Arabic and the other right-to-left scripts, and every directional control) has nothing for it to reorder, so such a
     * paragraph is laid out without it; any other text, a customer's name in Arabic for one, still goes through it.
     * </ul>
     */
    private static final class StatementPdfExporter extends JRPdfExporter {

        private static final byte[] PIXEL;

        static {
            // OpenPDF reads that pixel (and any image) through ImageIO, which by default copies every stream it reads
            // to a temporary file first: a file created, written and deleted per statement, for 70 bytes
            ImageIO.setUseCache(false);
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

        @Override
        protected PdfProducerFactory getPdfProducerFactory() {
            return StatementPdfProducer::new;
        }
    }

    /**
     * JasperReports' producer of OpenPDF documents, with two changes: {@link LeftToRightPhrase}s, and every stream of the
     * document (the embedded font's subset, the page) deflated at zlib's fastest level. At OpenPDF's default level the
     * font subset's compression (about 60 KB of glyph tables per statement) was the largest single native cost of
     * the rendering threads in a JFR profile; the fastest level takes half the time, for statements 6 % larger (the
     * demo's 193: 24.7 KB on average instead of 23.3 KB; docs/benchmarks.md).
     */
    private static final class StatementPdfProducer extends ClassicPdfProducer {

        StatementPdfProducer(PdfProducerContext context) {
            super(context);
        }

        @Override
        public PdfDocumentWriter createWriter(OutputStream os) throws JRException {
            PdfDocumentWriter writer = super.createWriter(os);
            getPdfWriter().setCompressionLevel(Deflater.BEST_SPEED);
            return writer;
        }

        @Override
        public Font getFont(Map<AttributedCharacterIterator.Attribute, Object> attributes, Locale locale) {
            Font font = super.getFont(attributes, locale);
            BaseFont base = font.getBaseFont();
            // OpenPDF's fonts are shared by every document; the level only decides how their subsets are deflated
            if (base != null && base.getCompressionLevel() != Deflater.BEST_SPEED) {
                base.setCompressionLevel(Deflater.BEST_SPEED);
            }
            return font;
        }

        @Override
        public PdfPhrase createPhrase() {
            return new LeftToRightPhrase(this, new Phrase());
        }

        @Override
        public PdfPhrase createPhrase(PdfChunk chunk) {
            return new LeftToRightPhrase(this, new Phrase(((ClassicChunk) chunk).getChunk()));
        }
    }

    /** {@link ClassicPhrase}, laying a left-to-right paragraph with no right-to-left character out without bidi analysis. */
    private static final class LeftToRightPhrase extends ClassicPhrase {

        private final ClassicPdfProducer producer;
        private final Phrase phrase;

        LeftToRightPhrase(ClassicPdfProducer producer, Phrase phrase) {
            super(producer, phrase);
            this.producer = producer;
            this.phrase = phrase;
        }

        @Override
        public float go(float llx, float lly, float urx, float ury, float fixedLeading, float multipliedLeading,
                PdfTextAlignment alignment, TextDirection direction) {
            if (direction != TextDirection.LTR || !belowRightToLeftBlocks()) {
                return super.go(llx, lly, urx, ury, fixedLeading, multipliedLeading, alignment, direction);
            }
            // ClassicPhrase.go, with no bidi run direction
            ColumnText column = new ColumnText(producer.getPdfContentByte());
            column.setSimpleColumn(phrase, llx, lly, urx, ury, fixedLeading, ClassicPdfUtils.toPdfAlignment(alignment));
            if (multipliedLeading != 0) {
                column.setLeading(fixedLeading, multipliedLeading);
            }
            column.setRunDirection(PdfWriter.RUN_DIRECTION_NO_BIDI);
            try {
                column.go();
            } catch (DocumentException e) {
                throw new JRRuntimeException(e);
            }
            return column.getYLine();
        }

        private boolean belowRightToLeftBlocks() {
            for (Element element : phrase) {
                if (!(element instanceof Chunk chunk) || !leftToRightOnly(chunk.getContent())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The first code point of the Hebrew block: no character below it is right-to-left or a directional control. */
    private static final char FIRST_RIGHT_TO_LEFT_BLOCK = '\u0590';

    /** Whether {@code text} has no character from the Hebrew block on: nothing the bidirectional algorithm would reorder. */
    static boolean leftToRightOnly(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= FIRST_RIGHT_TO_LEFT_BLOCK) {
                return false;
            }
        }
        return true;
    }

    public static void render(JasperReport template, Map<String, Object> parameters, List<Map<String, ?>> rows, Path target) {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            JasperPrint print = JasperFillManager.fillReport(template, parameters, new JRMapCollectionDataSource(rows));
            try (OutputStream out = Files.newOutputStream(temporary)) {
                JRPdfExporter exporter = new StatementPdfExporter();
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
