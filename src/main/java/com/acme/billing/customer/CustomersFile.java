package com.acme.billing.customer;

import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.user.UserId;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.exceptions.CsvException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an {@code import-customers} file (SPEC 11): CSV with the header {@code user_id,name,email,address,country,vat_id}
 * (any order; no other column: nothing is taken in that the product does not need). Every line is checked; any
 * bad line refuses the whole file, each problem named by file and line. A reason never repeats a name, e-mail,
 * address or VAT id (they are personal data, and messages reach logs and terminals); user ids and country codes
 * are quoted.
 */
public final class CustomersFile {

    public static final List<String> HEADER = List.of("user_id", "name", "email", "address", "country", "vat_id");
    public static final int MAX_NAME = 200;
    public static final int MAX_EMAIL = 254;
    public static final int MAX_ADDRESS = 500;
    public static final int MAX_ADDRESS_LINES = 4;

    private static final int MAX_LISTED = 50;
    // The practical shape of an address (one @, a dot in the domain, no spaces), as for console accounts.
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern VAT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ./-]{1,31}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private CustomersFile() {
    }

    public static List<CustomerProfile> parse(Reader input, String source) {
        List<CustomerProfile> profiles = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        try (CSVReader reader = new CSVReaderBuilder(input).build()) {
            String[] header;
            try {
                header = reader.readNext();
            } catch (CsvException | IOException e) {
                throw new InputRefusedException(source + ": line 1: not readable as CSV");
            }
            if (header == null) {
                throw new InputRefusedException(source + ": empty file, expected the header " + String.join(",", HEADER));
            }
            Map<String, Integer> columns = new HashMap<>();
            Set<String> unknown = new LinkedHashSet<>();
            for (int i = 0; i < header.length; i++) {
                String name = header[i].trim().toLowerCase(Locale.ROOT).replace("\uFEFF", "");
                if (HEADER.contains(name)) {
                    columns.put(name, i);
                } else {
                    unknown.add(UserId.quote(header[i]));
                }
            }
            List<String> missing = HEADER.stream().filter(c -> !columns.containsKey(c)).toList();
            if (!missing.isEmpty() || !unknown.isEmpty()) {
                throw new InputRefusedException(source + ": line 1: header must be " + String.join(",", HEADER)
                        + (missing.isEmpty() ? "" : "; missing " + String.join(", ", missing))
                        + (unknown.isEmpty() ? "" : "; unknown column(s) " + String.join(", ", unknown)
                                + " (nothing is stored that billing does not need; card data never: Stripe holds it)"));
            }
            long lineNo = reader.getLinesRead();
            while (true) {
                long line = lineNo + 1;
                String[] row;
                try {
                    row = reader.readNext();
                } catch (CsvException | IOException e) {
                    // OpenCSV's message quotes the line: personal data. Say where, not what.
                    throw new InputRefusedException(source + ": line " + line + ": not readable as CSV (a quote left open?), nothing imported");
                }
                if (row == null) {
                    break;
                }
                lineNo = reader.getLinesRead();
                if (row.length == 1 && row[0].isBlank()) {
                    continue;
                }
                String userId = field(row, columns.get("user_id"));
                String problem = problem(userId, field(row, columns.get("name")), field(row, columns.get("email")),
                        field(row, columns.get("address")), field(row, columns.get("country")), field(row, columns.get("vat_id")));
                if (problem == null) {
                    Long first = seen.putIfAbsent(userId, line);
                    if (first != null) {
                        problem = "user_id " + UserId.quote(userId) + " again (first on line " + first + ")";
                    }
                }
                if (problem != null) {
                    problems.add(source + ": line " + line + ": " + problem);
                    continue;
                }
                profiles.add(new CustomerProfile(UserId.parse(userId), field(row, columns.get("name")), field(row, columns.get("email")),
                        address(field(row, columns.get("address"))), field(row, columns.get("country")).toUpperCase(Locale.ROOT),
                        field(row, columns.get("vat_id"))));
            }
        } catch (IOException e) {
            throw new InputRefusedException(source + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
        if (!problems.isEmpty()) {
            List<String> listed = problems.subList(0, Math.min(MAX_LISTED, problems.size()));
            throw new InputRefusedException(source + ": " + problems.size() + " bad line(s), nothing imported:\n  " + String.join("\n  ", listed)
                    + (problems.size() > MAX_LISTED ? "\n  ... and " + (problems.size() - MAX_LISTED) + " more" : ""));
        }
        return profiles;
    }

    /** What is wrong with a line, or null. */
    static String problem(String userId, String name, String email, String address, String country, String vatId) {
        Optional<String> badUserId = UserId.problem(userId);
        if (badUserId.isPresent()) {
            return "bad user_id " + UserId.quote(userId) + ": " + badUserId.get() + " (" + UserId.RULE + ")";
        }
        if (name.isEmpty()) {
            return "name is empty";
        }
        if (name.length() > MAX_NAME) {
            return "name has " + name.length() + " characters, at most " + MAX_NAME;
        }
        if (hasControl(name, false)) {
            return "name holds a control character (a line break, a tab)";
        }
        if (email.isEmpty()) {
            return "email is empty";
        }
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            return "email is not an e-mail address (one @, a dot in the domain, no spaces, at most " + MAX_EMAIL + " characters)";
        }
        String cleanAddress = address(address);
        if (cleanAddress.length() > MAX_ADDRESS) {
            return "address has " + cleanAddress.length() + " characters, at most " + MAX_ADDRESS;
        }
        if (cleanAddress.lines().count() > MAX_ADDRESS_LINES) {
            return "address has " + cleanAddress.lines().count() + " lines, at most " + MAX_ADDRESS_LINES;
        }
        if (hasControl(cleanAddress, true)) {
            return "address holds a control character other than a line break";
        }
        String code = country.toUpperCase(Locale.ROOT);
        if (code.length() != 2 || !COUNTRIES.contains(code)) {
            return "bad country " + UserId.quote(country) + " (an ISO 3166-1 alpha-2 code such as DE, FR or US)";
        }
        if (!vatId.isEmpty() && !VAT_ID.matcher(vatId).matches()) {
            return "vat_id is not a VAT id (2 to 32 letters, digits, spaces, '.', '/' or '-', starting with a letter or digit), or leave it empty";
        }
        for (String[] field : new String[][] {{"name", name}, {"email", email}, {"address", address}, {"vat_id", vatId}}) {
            if (CardNumbers.containsOne(field[1])) {
                return field[0] + " holds what looks like a payment card number: card data is never stored (Stripe holds it)";
            }
        }
        return null;
    }

    /** Line ends as {@code \n}, each line trimmed, blank lines dropped. */
    static String address(String text) {
        return String.join("\n", text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    private static boolean hasControl(String text, boolean lineBreaksAllowed) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((Character.isISOControl(c) && !(lineBreaksAllowed && c == '\n')) || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private static String field(String[] row, int column) {
        return column < row.length ? row[column].trim() : "";
    }
}
