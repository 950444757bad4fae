package com.acme.billing.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.fonts.FontUtil;
import net.sf.jasperreports.renderers.AbstractRenderer;
import net.sf.jasperreports.renderers.Graphics2DRenderable;

/**
 * A statement's "usage by day" chart: one line per metric over the days of the month, drawn straight
 * onto the PDF page (vector lines, labels as text in the report's embedded font). It replaces the
 * JasperReports line chart, whose JFreeChart set-up and layout took a quarter of every statement's
 * rendering time for a picture this simple (docs/benchmarks.md, issue 11).
 */
public final class UsageByDayChart extends AbstractRenderer implements Graphics2DRenderable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final String FONT = "DejaVu Sans";
    private static final Color[] PALETTE = {new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x5F, 0xD0), new Color(0x2C, 0xA0, 0x2C),
            new Color(0xE0, 0x8A, 0x00), new Color(0x8C, 0x4F, 0xBF)};
    private static final Color GRID = new Color(0xC8, 0xC8, 0xC8);
    private static final Color AXIS = new Color(0x66, 0x66, 0x66);
    private static final Color LABEL = new Color(0x44, 0x44, 0x44);

    /** One metric's usage on each day of the month (index 0 is the 1st). */
    public record Series(String metric, List<Long> perDay) implements Serializable {
    }

    private final List<Series> series;
    private final int days;

    public UsageByDayChart(List<Series> series, int days) {
        this.series = List.copyOf(series);
        this.days = days;
    }

    /** One series per metric of the statement's daily usage, in metric name order, days without usage as zero. */
    public static UsageByDayChart of(Statement statement, int daysInMonth) {
        Map<String, long[]> byMetric = new TreeMap<>();
        for (Statement.Daily d : statement.daily()) {
            if (d.day() >= 1 && d.day() <= daysInMonth) {
                byMetric.computeIfAbsent(d.metric(), m -> new long[daysInMonth])[d.day() - 1] += d.quantity();
            }
        }
        List<Series> series = new ArrayList<>();
        byMetric.forEach((metric, perDay) -> series.add(new Series(metric, java.util.Arrays.stream(perDay).boxed().toList())));
        return new UsageByDayChart(series, daysInMonth);
    }

    List<Series> series() {
        return series;
    }

    /** The axis step: 1, 2, 2.5 or 5 times a power of ten, so that {@code max} is reached in at most eight steps. */
    static long step(long max) {
        for (long m = 1; ; m *= 10) {
            if (max <= 8 * m) {
                return m;
            }
            if (max <= 16 * m) {
                return 2 * m;
            }
            if (m >= 10 && max <= 20 * m) {
                return m * 5 / 2;
            }
            if (max <= 40 * m) {
                return 5 * m;
            }
        }
    }

    @Override
    public void render(JasperReportsContext context, Graphics2D g, Rectangle2D area) {
        Font font = FontUtil.getInstance(context).getAwtFontFromBundles(FONT, Font.PLAIN, 7f, Locale.ROOT, true);
        if (font == null) {
            font = new Font(FONT, Font.PLAIN, 7);
        }
        AffineTransform saved = g.getTransform();
        Stroke savedStroke = g.getStroke();
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();

        long max = 1;
        for (Series s : series) {
            for (long q : s.perDay()) {
                max = Math.max(max, q);
            }
        }
        long step = step(max);
        long top = ((max + step - 1) / step) * step;

        double labelWidth = metrics.stringWidth(StatementFormat.grouped(top));
        double dayLabelHeight = metrics.stringWidth("31");
        double legendHeight = metrics.getHeight() + 4;
        double left = area.getX() + labelWidth + 6;
        double right = area.getMaxX() - 4;
        double plotTop = area.getY() + metrics.getAscent() / 2.0 + 2;
        double bottom = area.getMaxY() - legendHeight - dayLabelHeight - 6;
        double band = (right - left) / days;

        g.setStroke(new BasicStroke(0.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 2f}, 0f));
        for (long v = 0; v <= top; v += step) {
            double y = bottom - (bottom - plotTop) * v / top;
            g.setColor(GRID);
            if (v > 0) {
                g.draw(new Line2D.Double(left, y, right, y));
            }
            g.setColor(LABEL);
            String text = StatementFormat.grouped(v);
            g.drawString(text, (float) (left - 4 - metrics.stringWidth(text)), (float) (y + metrics.getAscent() / 2.0 - 1));
        }
        g.setStroke(new BasicStroke(0.5f));
        g.setColor(AXIS);
        g.draw(new Rectangle2D.Double(left, plotTop, right - left, bottom - plotTop));

        g.setColor(LABEL);
        for (int day = 1; day <= days; day++) {
            String text = Integer.toString(day);
            double x = left + band * (day - 0.5);
            AffineTransform before = g.getTransform();
            g.translate(x + metrics.getAscent() / 2.0 - 1, bottom + 3 + metrics.stringWidth(text));
            g.rotate(-Math.PI / 2);
            g.drawString(text, 0f, 0f);
            g.setTransform(before);
        }

        g.setStroke(new BasicStroke(1.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 0; i < series.size(); i++) {
            List<Long> perDay = series.get(i).perDay();
            Path2D.Double line = new Path2D.Double();
            for (int day = 0; day < perDay.size(); day++) {
                double x = left + band * (day + 0.5);
                double y = bottom - (bottom - plotTop) * perDay.get(day) / top;
                if (day == 0) {
                    line.moveTo(x, y);
                } else {
                    line.lineTo(x, y);
                }
            }
            g.setColor(PALETTE[i % PALETTE.length]);
            g.draw(line);
        }

        double legendWidth = 0;
        for (Series s : series) {
            legendWidth += 16 + metrics.stringWidth(s.metric()) + 12;
        }
        double x = area.getCenterX() - legendWidth / 2;
        double baseline = area.getMaxY() - 4;
        for (int i = 0; i < series.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            double mid = baseline - metrics.getAscent() / 2.0 + 1;
            g.draw(new Line2D.Double(x, mid, x + 12, mid));
            g.setColor(LABEL);
            g.drawString(series.get(i).metric(), (float) (x + 16), (float) baseline);
            x += 16 + metrics.stringWidth(series.get(i).metric()) + 12;
        }
        g.setStroke(savedStroke);
        g.setTransform(saved);
    }
}
