package com.acme.billing.subscription;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.user.UserId;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.exceptions.CsvException;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a subscription changes file (SPEC 4) and validates every line against the catalog. Any bad
 * line refuses the whole file (exit 2), with every problem listed by line number.
 */
public final class SubscriptionChangesParser {

    private static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9_]{1,255}");
    private static final List<String> REQUIRED = List.of("user_id", "effective_at", "action", "tier");
    private static final int MAX_LISTED = 50;

    private SubscriptionChangesParser() {
    }

    public static List<SubscriptionChange> parse(Reader input, String source, Catalog catalog) {
        List<SubscriptionChange> changes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (CSVReader reader = new CSVReaderBuilder(input).build()) {
            String[] header = reader.readNext();
            if (header == null) {
                throw new InputRefusedException(source + ": empty file, expected the header " + String.join(",", REQUIRED) + ",stripe_customer_id");
            }
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                columns.put(header[i].trim().toLowerCase(Locale.ROOT).replace("\uFEFF", ""), i);
            }
            List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
            if (!missing.isEmpty()) {
                throw new InputRefusedException(source + ": line 1: header lacks " + String.join(", ", missing)
                        + " (expected " + String.join(",", REQUIRED) + ",stripe_customer_id)");
            }
            long lineNo = reader.getLinesRead();
            String[] row;
            while ((row = reader.readNext()) != null) {
                long line = lineNo + 1;
                lineNo = reader.getLinesRead();
                if (row.length == 1 && row[0].isBlank()) {
                    continue;
                }
                String problem = null;
                String userId = field(row, columns.get("user_id"));
                String effective = field(row, columns.get("effective_at"));
                String actionText = field(row, columns.get("action"));
                String tierName = field(row, columns.get("tier"));
                Integer customerColumn = columns.get("stripe_customer_id");
                String customer = customerColumn == null ? "" : field(row, customerColumn);
                Instant effectiveAt = null;
                SubscriptionAction action = SubscriptionAction.parse(actionText).orElse(null);
                Optional<String> badUserId = UserId.problem(userId);
                if (badUserId.isPresent()) {
                    problem = "bad user_id " + UserId.quote(userId) + ": " + badUserId.get() + " (" + UserId.RULE + ")";
                } else if ((effectiveAt = instant(effective)) == null) {
                    problem = "bad effective_at '" + effective + "' (ISO-8601 with Z or an offset)";
                } else if (effectiveAt.getNano() != 0) {
                    // Line ids and rated segments are cut to whole seconds: a fraction would bill one instant
                    // and name another.
                    problem = "effective_at '" + effective + "' has a fraction of a second (whole seconds only)";
                } else if (action == null) {
                    problem = "bad action '" + actionText + "' (trial, subscribe, change or cancel)";
                } else if (!customer.isEmpty() && !CUSTOMER_ID.matcher(customer).matches()) {
                    problem = "bad stripe_customer_id '" + customer + "'";
                } else if (action != SubscriptionAction.CANCEL) {
                    Tier tier = catalog.tier(tierName).orElse(null);
                    if (tierName.isEmpty()) {
                        problem = "tier is required for " + action.wire();
                    } else if (tier == null) {
                        problem = "unknown tier '" + tierName + "' (catalog has " + String.join(", ", catalog.tiers().keySet()) + ")";
                    } else if (action == SubscriptionAction.TRIAL && tier.trialDays() == 0) {
                        problem = "tier '" + tierName + "' has no trial (trial_days is 0)";
                    }
                }
                if (problem != null) {
                    problems.add("line " + line + ": " + problem);
                    continue;
                }
                Instant trialEndsAt = null;
                String tier = action == SubscriptionAction.CANCEL ? "" : tierName;
                if (action == SubscriptionAction.TRIAL) {
                    trialEndsAt = effectiveAt.plus(Duration.ofSeconds(86_400L * catalog.tier(tier).orElseThrow().trialDays()));
                }
                changes.add(new SubscriptionChange(UserId.parse(userId), effectiveAt, action, tier, customer.isEmpty() ? null : customer,
                        trialEndsAt, line, source + ":" + line));
            }
        } catch (IOException | CsvException e) {
            throw new InputRefusedException(source + ": not readable as CSV: " + e.getMessage(), e);
        }
        if (!problems.isEmpty()) {
            int extra = problems.size() - MAX_LISTED;
            List<String> listed = problems.subList(0, Math.min(MAX_LISTED, problems.size()));
            throw new InputRefusedException(source + ": " + problems.size() + " bad line(s), nothing imported:\n  "
                    + String.join("\n  ", listed) + (extra > 0 ? "\n  ... and " + extra + " more" : ""));
        }
        return changes;
    }

    private static String field(String[] row, int index) {
        return index < row.length ? row[index].trim() : "";
    }

    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
