package com.acme.billing.api;

import com.acme.billing.access.ApiKeySecret;
import com.acme.billing.access.ApiKeys;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Checks a bearer key against the stored hashes. Answers are kept for {@link #TTL_NANOS} so that a busy
 * client does not cost a database read per request, and a key created or revoked meanwhile (by
 * {@code jobs/billing api-key} in another process) takes effect within that time (SPEC 8: 10 s).
 * The cache is keyed by the key's hash, never the key.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    static final long TTL_NANOS = 5_000_000_000L;
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<ApiKeys.ApiKey> key, long until) {
    }

    private final ApiKeys keys;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    ApiKeyAuthenticationProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String secret = ((ApiKeyAuthentication) authentication).secret();
        String hash = ApiKeySecret.hash(secret);
        long now = System.nanoTime();
        Entry entry = cache.get(hash);
        if (entry == null || now - entry.until() > 0) {
            if (cache.size() > MAX_ENTRIES) {
                cache.clear();
            }
            entry = new Entry(keys.authenticate(secret), now + TTL_NANOS);
            cache.put(hash, entry);
        }
        ApiKeys.ApiKey key = entry.key().orElseThrow(() -> new BadCredentialsException("unknown or revoked API key"));
        return ApiKeyAuthentication.of(ApiCaller.of(key));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
