package com.acme.billing.invoice;

import com.acme.billing.rating.Rating;
import java.util.List;

/** Everything rating needs of one user and period: the segments and the usage in each. */
public record UserPeriod(String userId, List<Rating.SegmentUsage> segments) {
}
