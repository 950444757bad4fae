package com.acme.billing.config;

import com.acme.billing.ingest.DuckDbEventStore;
import com.acme.billing.ingest.EventStore;
import com.acme.billing.ingest.PostgresEventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Settings shared by every job: the clock, BILLING_HOME's folders and the event store. */
@Configuration(proxyBeanMethods = false)
public class BillingConfig {

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

    /**
     * The event store: PostgreSQL when the billing database is PostgreSQL (one database, one backup),
     * DuckDB beside H2 otherwise. {@code billing.event-store} forces one.
     */
    @Bean
    EventStore eventStore(@Value("${billing.event-store:auto}") String kind, @Value("${spring.datasource.url}") String url,
            DataSource dataSource, BillingPaths paths, @Value("${billing.duckdb.memory-limit:1GB}") String memoryLimit,
            @Value("${billing.duckdb.threads:2}") int threads) {
        boolean postgres = switch (kind) {
            case "postgres", "postgresql" -> true;
            case "duckdb" -> false;
            default -> url.startsWith("jdbc:postgresql:");
        };
        return postgres ? new PostgresEventStore(dataSource) : new DuckDbEventStore(paths.eventStore(), memoryLimit, threads);
    }
}
