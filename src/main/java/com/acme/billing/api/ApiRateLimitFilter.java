package com.acme.billing.api;

import com.acme.billing.access.Role;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-key rate limit (SPEC 8): a Bucket4j bucket per key that holds one second's worth of requests
 * and refills at the key's rate; over it, {@code 429} with {@code Retry-After} in whole seconds.
 */
final class ApiRateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_BUCKETS = 100_000;

    private final long customerRate;
    private final long otherRate;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    ApiRateLimitFilter(long customerRate, long otherRate) {
        this.customerRate = customerRate;
        this.otherRate = otherRate;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ApiCaller caller) {
            if (buckets.size() > MAX_BUCKETS) {
                buckets.clear();
            }
            long rate = caller.role() == Role.CUSTOMER ? customerRate : otherRate;
            Bucket bucket = buckets.computeIfAbsent(caller.keyId(),
                    id -> Bucket.builder().addLimit(limit -> limit.capacity(rate).refillGreedy(rate, Duration.ofSeconds(1))).build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
                response.setHeader("Retry-After", Long.toString(seconds));
                ApiErrorWriter.write(response, 429, "rate_limited", "more than " + rate + " requests per second for this key");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
