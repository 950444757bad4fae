package com.acme.billing.invoice;

import com.acme.billing.rating.RatedLine;
import com.acme.billing.rating.UsageSummary;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What close-period writes for one user: the original draft (open period) or the adjustment draft
 * (finalized period), and the usage rows. Pure: ids and differences come from the rated lines and
 * what was billed before, nothing else.
 */
public record InvoicePlan(String userId, String invoiceId, boolean adjustment, int adjustmentNo, List<InvoiceLine> lines,
        List<UsageSummary> usage) {

    public static String originalId(String period, String userId) {
        return "INV-" + period + "-" + userId;
    }

    public static String adjustmentId(String period, String userId, int n) {
        return originalId(period, userId) + "-A" + n;
    }

    /** The line id: the invoice and what the line is (type, tier, metric, segment in epoch seconds). */
    static String lineId(String invoiceId, RatedLine line) {
        return invoiceId + "/" + line.type().wire() + "/" + line.tier() + "/" + (line.metric() == null ? "-" : line.metric()) + "/"
                + line.start().getEpochSecond() + "-" + line.end().getEpochSecond();
    }

    /** An adjustment's id: the adjustment invoice, then the id of the line it adjusts as that invoice would name it. */
    static String adjustmentLineId(String invoiceId, RatedLine adjusted) {
        return invoiceId + "/adjustment" + lineId("", adjusted);
    }

    public BigDecimal total() {
        return lines.stream().map(InvoiceLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** An open period: the fresh lines are the draft. */
    public static InvoicePlan original(String period, String userId, List<RatedLine> fresh, List<UsageSummary> usage) {
        String invoiceId = originalId(period, userId);
        List<InvoiceLine> lines = new ArrayList<>();
        for (RatedLine line : fresh) {
            lines.add(new InvoiceLine(lineId(invoiceId, line), invoiceId, userId, period, line.type(), line.key(), line, line.amount(),
                    line.quantity()));
        }
        return new InvoicePlan(userId, invoiceId, false, 0, lines, usage);
    }

    /**
     * A finalized period: for every line key, the fresh rounded amount less what the finalized
     * invoices already billed under that key; only differences not zero become adjustment lines, so
     * that original plus adjustments always add up to a fresh rating, to the minor unit.
     *
     * @param billed          finalized amount and quantity per line key (original and earlier adjustments)
     * @param billedLines     a finalized line per key, to describe a line that is no longer billed
     * @param adjustmentNo    the number of the adjustment invoice this draft would become
     */
    public static InvoicePlan adjustment(String period, String userId, List<RatedLine> fresh, Map<String, BigDecimal[]> billed,
            Map<String, RatedLine> billedLines, int adjustmentNo, List<UsageSummary> usage) {
        String invoiceId = adjustmentId(period, userId, adjustmentNo);
        Map<String, RatedLine> freshByKey = new LinkedHashMap<>();
        for (RatedLine line : fresh) {
            freshByKey.put(line.key(), line);
        }
        List<InvoiceLine> lines = new ArrayList<>();
        for (RatedLine line : fresh) {
            BigDecimal[] before = billed.getOrDefault(line.key(), new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            BigDecimal difference = line.amount().subtract(before[0]);
            if (difference.signum() != 0) {
                lines.add(adjustmentLine(invoiceId, userId, period, line, difference, line.quantity().subtract(before[1]), "now billed"));
            }
        }
        for (Map.Entry<String, BigDecimal[]> entry : billed.entrySet()) {
            if (!freshByKey.containsKey(entry.getKey()) && entry.getValue()[0].signum() != 0) {
                RatedLine old = billedLines.get(entry.getKey());
                lines.add(adjustmentLine(invoiceId, userId, period, old, entry.getValue()[0].negate(), entry.getValue()[1].negate(),
                        "no longer billed"));
            }
        }
        return new InvoicePlan(userId, invoiceId, true, adjustmentNo, lines, usage);
    }

    private static InvoiceLine adjustmentLine(String invoiceId, String userId, String period, RatedLine line, BigDecimal amount,
            BigDecimal quantity, String why) {
        RatedLine adjusted = new RatedLine(RatedLine.LineType.ADJUSTMENT, line.tier(), line.metric(), line.start(), line.end(), quantity,
                line.unitPrice(), amount, "Adjustment (" + why + "): " + line.description());
        return new InvoiceLine(adjustmentLineId(invoiceId, line), invoiceId, userId, period, RatedLine.LineType.ADJUSTMENT, line.key(), adjusted, amount, quantity);
    }
}
