package com.acme.billing.subscription;

import java.util.Locale;
import java.util.Optional;

/** The {@code action} column of a subscription change (SPEC 4). */
public enum SubscriptionAction {
    TRIAL, SUBSCRIBE, CHANGE, CANCEL;

    public static Optional<SubscriptionAction> parse(String text) {
        for (SubscriptionAction action : values()) {
            if (action.wire().equals(text)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
