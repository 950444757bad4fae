package com.acme.billing.cli;

import com.acme.billing.ops.ExecutionHistory;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The whole Spring context of {@code jobs/billing executions}: the database (the same settings, Flyway migrating first, so
 * that the command on an empty home creates the schema as every command does) and the one query it runs. The application's
 * context would parse every job, step and web configuration and evaluate about 140 auto-configurations only to leave them
 * unused; this one starts in a fraction of that (docs/benchmarks.md, "Start-up").
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
        DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
        JdbcClientAutoConfiguration.class})
@Import(ExecutionHistory.class)
class OperatorQueryBeans {
}
