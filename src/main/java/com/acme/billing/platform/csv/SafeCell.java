package com.acme.billing.platform.csv;

import java.util.regex.Pattern;

/**
 * A CSV cell that a spreadsheet cannot run (OWASP, "CSV Injection"): text that starts with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a leading single
 * quote, which spreadsheets show as text and do not evaluate. A plain number such as {@code -12.50}
 * or {@code +3} is left alone: spreadsheets read it as the number it is, and the reports' amounts
 * must stay numbers.
 */
public final class SafeCell {

    /** A decimal number as the reports write them (sign, digits, optional fraction and exponent), nothing else. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private SafeCell() {
    }

    /** The cell as written to a CSV file: unchanged, or prefixed with {@code '} when a spreadsheet would take it for a formula. */
    public static String of(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        boolean formulaLead = first == '=' || first == '@' || first == '\t' || first == '\r';
        boolean signLead = first == '+' || first == '-';
        if (formulaLead || signLead && !NUMBER.matcher(cell).matches()) {
            return "'" + cell;
        }
        return cell;
    }
}
