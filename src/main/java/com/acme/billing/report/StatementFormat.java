package com.acme.billing.report;

import com.acme.billing.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link Statement} into the parameters and rows of {@code statement.jrxml}. Every number is
 * formatted here, exactly as {@code invoice-lines.csv} writes it (amounts with the currency's minor
 * digits, base-fee quantity as the fraction to 6 decimals), so that the PDF and the CSV agree to
 * the cent and a test can compare their text.
 */
public final class StatementFormat {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private StatementFormat() {
    }

    public static Map<String, Object> parameters(Statement s, String seller) {
        Map<String, Object> p = new HashMap<>();
        p.put("SELLER", seller);
        p.put("CUSTOMER", billTo(s));
        p.put("INVOICE_ID", s.invoiceId());
        com.acme.billing.period.BillingPeriod month = com.acme.billing.period.BillingPeriod.parse(s.period());
        p.put("PERIOD", DAY.format(month.start()) + " to " + DAY.format(month.end()) + " (UTC)");
        p.put("ISSUED", DAY.format(s.createdAt()));
        p.put("STATUS", "draft".equals(s.status()) ? "DRAFT: not final, amounts may still change" : "FINAL");
        p.put("NOTE", "adjustment".equals(s.kind())
                ? "Adjustment to " + s.invoiceId().replaceAll("-A\\d+$", "") + ": the differences that late usage or subscription changes make "
                        + "to the finalized statement (negative amounts are credits)."
                : null);
        p.put("CURRENCY", s.currency());
        p.put("TOTAL", amount(s.total(), s.currency()));
        p.put("HAS_USAGE", !s.daily().isEmpty());
        return p;
    }

    /**
     * The "Bill to" block: with a profile, the name, the address lines, the country's English name and the VAT id,
     * then the account (user id) and Stripe customer in a line of their own; without one, the user id as before.
     */
    static String billTo(Statement s) {
        String stripe = s.stripeCustomerId() == null ? "" : "Stripe customer " + s.stripeCustomerId();
        Statement.BillTo to = s.billTo();
        if (to == null) {
            return s.userId() + (stripe.isEmpty() ? "" : "\n" + stripe);
        }
        List<String> lines = new ArrayList<>();
        lines.add(to.name());
        if (!to.address().isEmpty()) {
            lines.add(to.address());
        }
        lines.add(countryName(to.country()));
        if (!to.vatId().isEmpty()) {
            lines.add("VAT ID " + to.vatId());
        }
        lines.add("Account " + s.userId() + (stripe.isEmpty() ? "" : " · " + stripe));
        return String.join("\n", lines);
    }

    /** The country's English name (Java's ISO 3166 list), or the code where Java has no name for it. */
    static String countryName(String code) {
        String name = new Locale("", code).getDisplayCountry(Locale.ENGLISH);
        return name.isEmpty() || name.equals(code) ? code : name;
    }

    /** Rows for the report's detail band: section "lines" then section "usage", columns c1..c5. */
    public static List<Map<String, ?>> rows(Statement s) {
        List<Map<String, ?>> rows = new ArrayList<>();
        int digits = Money.minorDigits(s.currency());
        for (Statement.Line line : s.lines()) {
            rows.add(row("lines", line.description(), dates(line.start(), line.end()), quantity(line), line.unitPrice() == null ? ""
                    : CsvReports.price(line.unitPrice(), digits), amount(line.amount(), s.currency())));
        }
        for (Statement.Usage usage : s.usage()) {
            rows.add(row("usage", usage.metric(), usage.tier(), grouped(usage.quantity()), grouped(usage.included()),
                    grouped(usage.overage()) + (usage.breached() ? " LIMIT" : "")));
        }
        return rows;
    }

    /**
     * A count with a comma between groups of three digits: what {@code String.format(Locale.ROOT, "%,d", n)} writes.
     * Written out because the statements call it for every usage row and chart label, and {@code Formatter} parsed
     * its pattern each time: 4 % of the rendering threads' samples in a JFR profile of {@code jobs/bench-reports}.
     */
    static String grouped(long n) {
        String plain = Long.toString(n);
        int sign = n < 0 ? 1 : 0;
        int digits = plain.length() - sign;
        if (digits <= 3) {
            return plain;
        }
        StringBuilder out = new StringBuilder(plain.length() + (digits - 1) / 3);
        int first = sign + (digits % 3 == 0 ? 3 : digits % 3);
        out.append(plain, 0, first);
        for (int i = first; i < plain.length(); i += 3) {
            out.append(',').append(plain, i, i + 3);
        }
        return out.toString();
    }

    public static String amount(BigDecimal amount, String currency) {
        return Money.of(amount, Currency.getInstance(currency)).toPlainString();
    }

    static String quantity(Statement.Line line) {
        return "overage".equals(line.lineType())
                ? line.quantity().setScale(0, RoundingMode.UNNECESSARY).toPlainString()
                : line.quantity().setScale(6, RoundingMode.HALF_UP).toPlainString();
    }

    static String dates(Instant start, Instant end) {
        return at(start) + " to\n" + at(end);
    }

    private static String at(Instant instant) {
        return LocalTime.MIDNIGHT.equals(instant.atOffset(ZoneOffset.UTC).toLocalTime()) ? DAY.format(instant) : DAY_TIME.format(instant);
    }

    private static Map<String, ?> row(String section, String c1, String c2, String c3, String c4, String c5) {
        return Map.of("section", section, "c1", c1, "c2", c2, "c3", c3, "c4", c4, "c5", c5);
    }
}
