package com.acme.billing.cli;

import com.acme.billing.invoice.ClosePeriodService;
import java.math.RoundingMode;
import java.util.Currency;

/** The --json line of close-period and finalize (SPEC 1). */
record PeriodTotals(String period, long invoices, long lines, String total, String currency, Long executionId) {

    static PeriodTotals of(ClosePeriodService.Outcome outcome) {
        // The total is a sum of lines rounded to the currency's minor units: setScale only pads, never rounds.
        String total = outcome.total().setScale(Currency.getInstance(outcome.currency()).getDefaultFractionDigits(),
                RoundingMode.UNNECESSARY).toPlainString();
        return new PeriodTotals(outcome.period(), outcome.invoices(), outcome.lines(), total, outcome.currency(), outcome.executionId());
    }
}
