package com.acme.billing.invoice;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.platform.InputRefusedException;
import org.springframework.stereotype.Component;

/** The catalog a period is rated with: the version it was finalized with, or the latest while it is open. */
@Component
public class PeriodCatalog {

    private final CatalogRepository catalogs;
    private final InvoiceRepository invoices;

    public PeriodCatalog(CatalogRepository catalogs, InvoiceRepository invoices) {
        this.catalogs = catalogs;
        this.invoices = invoices;
    }

    public CatalogRepository.StoredCatalog of(String period) {
        var state = invoices.period(period);
        if (state.isPresent() && state.get().finalized()) {
            return catalogs.load(state.get().catalogVersion());
        }
        return catalogs.latest().orElseThrow(() -> new InputRefusedException("no catalog imported yet; run import-catalog first"));
    }
}
