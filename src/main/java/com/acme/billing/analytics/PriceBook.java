package com.acme.billing.analytics;

import java.math.BigDecimal;

/**
 * A tier's monthly price for one user: the catalog's, or (pricing experiments) the price of the
 * user's variant. SPEC 9 counts a user as paying only on a tier whose price for that user is above 0.
 */
@FunctionalInterface
public interface PriceBook {

    /** The monthly price, or null for a tier the catalog does not know (counted as not paying). */
    BigDecimal monthlyPrice(String userId, String tier);
}
