package com.acme.billing.invoice;

import com.acme.billing.rating.LineKey;
import java.util.ArrayList;
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
                plans.add(InvoicePlan.original(period, user.userId(), user.result()));
            }
            return plans;
        }
        List<String> ids = users.stream().map(RatedUser::userId).toList();
        Map<String, Map<LineKey, BilledLine>> billed = invoices.billed(period, ids);
        Map<String, Integer> next = invoices.nextAdjustmentNo(period, ids);
        for (RatedUser user : users) {
            plans.add(InvoicePlan.adjustment(period, user.userId(), user.result(), billed.getOrDefault(user.userId(), Map.of()),
                    next.get(user.userId())));
        }
        return plans;
    }
}
