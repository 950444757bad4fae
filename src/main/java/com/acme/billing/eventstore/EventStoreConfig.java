package com.acme.billing.eventstore;

import com.acme.billing.platform.BillingPaths;
import com.acme.billing.platform.DatabaseUrl;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event store port and which adapter backs it. */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfig {

    /**
     * PostgreSQL when the billing database is PostgreSQL (one database, one backup), DuckDB beside H2
     * otherwise. {@code billing.event-store} forces one.
     */
    @Bean
    EventStore eventStore(@Value("${billing.event-store:auto}") String kind, @Value("${spring.datasource.url}") String url,
            DataSource dataSource, BillingPaths paths, @Value("${billing.duckdb.memory-limit:1GB}") String memoryLimit,
            @Value("${billing.duckdb.threads:2}") int threads) {
        boolean postgres = switch (kind) {
            case "postgres", "postgresql" -> true;
            case "duckdb" -> false;
            default -> DatabaseUrl.isPostgres(url);
        };
        return postgres ? new PostgresEventStore(dataSource) : new DuckDbEventStore(paths.eventStore(), memoryLimit, threads);
    }
}
