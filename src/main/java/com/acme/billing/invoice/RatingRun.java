package com.acme.billing.invoice;

import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.period.BillingPeriod;

/**
 * What the rating step of one close-period run rates with: the period, the one catalog version the run
 * pinned (loaded once, used for every user and recorded on every invoice) and whether the period is
 * finalized (adjustments) or open (drafts). Not a record: it lives in step scope, behind a class proxy.
 */
public class RatingRun {

    private final BillingPeriod period;
    private final CatalogRepository.StoredCatalog catalog;
    private final boolean finalized;

    public RatingRun(BillingPeriod period, CatalogRepository.StoredCatalog catalog, boolean finalized) {
        this.period = period;
        this.catalog = catalog;
        this.finalized = finalized;
    }

    public BillingPeriod period() {
        return period;
    }

    public CatalogRepository.StoredCatalog catalog() {
        return catalog;
    }

    public boolean finalized() {
        return finalized;
    }
}
