package com.acme.billing.customer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what looks like a payment card number in text: 13 to 19 digits (single spaces or hyphens between
 * groups allowed) that pass the Luhn check and start like a card of the major networks. The product never
 * stores card data (Stripe holds it, SPEC 11), so an import that carries one is refused rather than kept.
 */
final class CardNumbers {

    private static final Pattern CANDIDATE = Pattern.compile("(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])");

    private CardNumbers() {
    }

    static boolean containsOne(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            String digits = m.group().replaceAll("[ -]", "");
            // Every length from 13 digits up inside the run: a number may sit beside other digits separated by a space.
            for (int from = 0; from + 13 <= digits.length(); from++) {
                for (int to = from + 13; to <= Math.min(digits.length(), from + 19); to++) {
                    String number = digits.substring(from, to);
                    if (cardPrefix(number) && luhn(number)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Visa 4, Mastercard 51-55 and 2221-2720, American Express 34/37, Discover 6011/64/65, JCB 35, Diners 36/38, UnionPay 62. */
    static boolean cardPrefix(String n) {
        int two = Integer.parseInt(n.substring(0, 2));
        int four = Integer.parseInt(n.substring(0, 4));
        return n.charAt(0) == '4' || (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) || two == 34 || two == 37
                || four == 6011 || two == 64 || two == 65 || two == 35 || two == 36 || two == 38 || two == 62;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }
}
