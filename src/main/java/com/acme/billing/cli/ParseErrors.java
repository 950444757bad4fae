package com.acme.billing.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What a refused command line says. picocli repeats unmatched arguments word for word, and a mistyped
 * {@code --db-pasword=s3cret}, or a {@code --db-password s3cret} written before the command, would put a
 * secret on the screen and in cron's log: an unknown option is named without its value, and a word that
 * follows one is not repeated.
 */
final class ParseErrors {

    private ParseErrors() {
    }

    static String message(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException unmatched)) {
            // Conversion and missing-option messages name the option and, at most, a value of a typed option
            // (a period, an instant, a port): never a password, which is a plain string and always converts.
            return e.getMessage();
        }
        List<String> words = unmatched.getUnmatched();
        List<String> shown = new ArrayList<>();
        boolean afterOption = false;
        for (String word : words) {
            if (word.startsWith("-")) {
                int eq = word.indexOf('=');
                shown.add("'" + (eq < 0 ? word : word.substring(0, eq)) + "'" + (eq < 0 ? "" : " (value not shown)"));
                afterOption = eq < 0;
            } else if (afterOption) {
                shown.add("(a value, not shown)");
                afterOption = false;
            } else {
                shown.add("'" + word + "'");
            }
        }
        boolean option = !words.isEmpty() && words.get(0).startsWith("-");
        return (option ? "Unknown option: " : "Unmatched argument: ") + String.join(", ", shown);
    }
}
