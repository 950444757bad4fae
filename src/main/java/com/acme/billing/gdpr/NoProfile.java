package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The customer profile (name, e-mail, address, VAT id; SPEC 11 {@code import-customers}) is not stored on
 * this branch yet: this placeholder holds nothing. The profile store replaces it with a holder of kind
 * {@code profile} that exports the decrypted profile and deletes it on erase (remove this class then).
 */
@Component
@Order(GdprOrder.PROFILE)
public class NoProfile implements PersonalDataHolder {

    @Override
    public String kind() {
        return "profile";
    }

    @Override
    public long count(UserId user) {
        return 0;
    }

    @Override
    public Optional<Object> export(UserId user) {
        return Optional.empty();
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        return Erased.NOTHING;
    }
}
