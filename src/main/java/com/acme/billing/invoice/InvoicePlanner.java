package com.acme.billing.invoice;

import com.acme.billing.rating.RatedLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Turns rated users into invoice plans: drafts for an open period, adjustment drafts for a finalized one. */
@Component
public class InvoicePlanner {

    private final InvoiceRepository invoices;

    public InvoicePlanner(InvoiceRepository invoices) {
        this.invoices = invoices;
    }

    public List<InvoicePlan> plan(String period, boolean finalized, List<? extends RatedUser> users) {
        List<InvoicePlan> plans = new ArrayList<>();
        if (!finalized) {
            for (RatedUser user : users) {
                plans.add(InvoicePlan.original(period, user.userId(), user.result().lines(), user.result().usage()));
            }
            return plans;
        }
        List<String> ids = users.stream().map(RatedUser::userId).toList();
        Map<String, Map<String, RatedLine>> billedLines = new HashMap<>();
        Map<String, Map<String, BigDecimal[]>> billed = invoices.billed(period, ids, billedLines);
        Map<String, Integer> next = invoices.nextAdjustmentNo(period, ids);
        for (RatedUser user : users) {
            plans.add(InvoicePlan.adjustment(period, user.userId(), user.result().lines(), billed.getOrDefault(user.userId(), Map.of()),
                    billedLines.getOrDefault(user.userId(), Map.of()), next.get(user.userId()), user.result().usage()));
        }
        return plans;
    }
}
