package com.acme.billing.cli;

import com.acme.billing.invoice.ClosePeriodService;
import com.acme.billing.money.Money;
import java.util.Currency;

/** The --json line of close-period and finalize (SPEC 1). */
record PeriodTotals(String period, long invoices, long lines, String total, String currency, Long executionId) {

    static PeriodTotals of(ClosePeriodService.Outcome outcome) {
        // The total is a sum of lines rounded to the currency's minor units: Money pads it, and refuses to round.
        String total = Money.of(outcome.total(), Currency.getInstance(outcome.currency())).toPlainString();
        return new PeriodTotals(outcome.period(), outcome.invoices(), outcome.lines(), total, outcome.currency(), outcome.executionId());
    }
}
