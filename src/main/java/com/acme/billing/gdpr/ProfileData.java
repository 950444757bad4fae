package com.acme.billing.gdpr;

import com.acme.billing.customer.CustomerProfile;
import com.acme.billing.customer.Customers;
import com.acme.billing.user.UserId;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The customer profile ({@code import-customers}: name, e-mail, address, country, VAT id; SPEC 11),
 * decrypted for the export, deleted by an erase (nothing of it is kept: invoices carry no profile).
 */
@Component
@Order(GdprOrder.PROFILE)
public class ProfileData implements PersonalDataHolder {

    private final Customers customers;

    ProfileData(Customers customers) {
        this.customers = customers;
    }

    @Override
    public String kind() {
        return "profile";
    }

    @Override
    public long count(UserId user) {
        return customers.updatedAt(user.value()).isPresent() ? 1 : 0;
    }

    @Override
    public Optional<Object> export(UserId user) {
        return customers.profile(user).map(ProfileData::fields);
    }

    private static Object fields(CustomerProfile p) {
        return Rows.map("name", p.name(), "email", p.email(), "address", p.address(), "country", p.country(), "vat_id", p.vatId());
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        return customers.delete(user) ? new Erased(1, 0) : Erased.NOTHING;
    }
}
