package com.acme.billing.invoice;

import com.acme.billing.rating.Rating;

/** A user's rating result for the period, on its way to the invoice writer. */
public record RatedUser(String userId, Rating.Result result) {
}
