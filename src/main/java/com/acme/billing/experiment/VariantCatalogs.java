package com.acme.billing.experiment;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The catalog each user is rated with: the base catalog, or for a user in a pricing experiment the
 * base catalog with the variant's overrides (SPEC 9: for good, also after the experiment's end).
 * Each variant's catalog is made once.
 */
public final class VariantCatalogs {

    private final Catalog base;
    private final Map<String, Variant> variantByUser;
    private final Map<Variant, Catalog> made = new IdentityHashMap<>();

    public VariantCatalogs(Catalog base, Map<String, Variant> variantByUser) {
        this.base = base;
        this.variantByUser = new HashMap<>(variantByUser);
    }

    public Catalog base() {
        return base;
    }

    public Catalog forUser(String userId) {
        Variant variant = variantByUser.get(userId);
        if (variant == null) {
            return base;
        }
        synchronized (made) {
            return made.computeIfAbsent(variant, v -> v.applyTo(base));
        }
    }

    /** A tier's monthly price for a user (null for a tier the catalog does not know). */
    public BigDecimal monthlyPrice(String userId, String tier) {
        return forUser(userId).tier(tier).map(Tier::monthlyPrice).orElse(null);
    }
}
