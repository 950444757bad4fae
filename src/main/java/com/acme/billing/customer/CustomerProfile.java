package com.acme.billing.customer;

import com.acme.billing.user.UserId;

/**
 * The person behind a user id (SPEC 11), decrypted, in memory only. {@code address} may hold line breaks;
 * {@code vatId} is empty for customers without one; {@code country} is an ISO 3166-1 alpha-2 code. Its
 * {@link #toString()} shows the user id and country only, so that a profile logged by mistake leaks nothing.
 */
public record CustomerProfile(UserId userId, String name, String email, String address, String country, String vatId) {

    @Override
    public String toString() {
        return "CustomerProfile[userId=" + userId + ", country=" + country + ", name, email, address and vatId hidden]";
    }
}
