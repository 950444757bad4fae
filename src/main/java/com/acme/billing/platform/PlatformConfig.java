package com.acme.billing.platform;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Settings shared by every job: the clock and BILLING_HOME's folders. */
@Configuration(proxyBeanMethods = false)
public class PlatformConfig {

    /** BILLING_NOW fixes the clock (tests, replays of past months); otherwise the system clock in UTC. */
    @Bean
    Clock clock(@Value("${billing.now:}") String now) {
        if (now == null || now.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.fixed(Instant.parse(now.trim()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("BILLING_NOW '" + now + "' is not an ISO-8601 instant such as 2026-11-01T03:00:00Z");
        }
    }

    @Bean
    BillingPaths billingPaths(@Value("${billing.home}") String home) {
        BillingPaths paths = new BillingPaths(Path.of(home).toAbsolutePath().normalize());
        paths.create();
        return paths;
    }
}
