package com.acme.billing.api;

import com.acme.billing.access.ApiKeys;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * Who may call what (SPEC 8). {@code /api/**}: a bearer API key on every request, the role of the
 * key decides the endpoints, a customer key its one user (checked in the controllers, {@link ApiCaller}).
 * Everything else ({@code /webhooks/stripe}, signed by Stripe; {@code /v3/api-docs}) needs no key.
 * Stateless: no session, no cookie, so no CSRF token either.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ApiSecurityConfig {

    static final String[] READ_USAGE = {"ADMIN", "SERVICE", "OPERATOR", "CUSTOMER"};
    static final String[] CHANGE_PLAN = {"ADMIN", "SERVICE", "CUSTOMER"};
    static final String[] READ_BILLING = {"ADMIN", "FINANCE", "OPERATOR", "CUSTOMER"};

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys keys,
            @Value("${billing.api.rate-limit.customer:50}") long customerRate,
            @Value("${billing.api.rate-limit.default:2000}") long otherRate) throws Exception {
        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(new ApiKeyAuthenticationProvider(keys)), request -> {
            String header = request.getHeader("Authorization");
            return header != null && header.startsWith("Bearer ") ? ApiKeyAuthentication.presented(header.substring(7).trim()) : null;
        });
        bearer.setSuccessHandler((request, response, authentication) -> {
            // carry on to the endpoint (the default handler would redirect)
        });
        bearer.setFailureHandler((request, response, e) -> ApiErrorWriter.write(response, 401, "unauthorized", "unknown or revoked API key"));
        return http.securityMatcher("/api/**", "/actuator/prometheus")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                // The key is checked in AuthenticationFilter's own place, the rate limit right after it (it needs the
                // caller), the body limit last, before the authorization.
                .addFilterAt(bearer, AuthenticationFilter.class)
                .addFilterAfter(new ApiRateLimitFilter(customerRate, otherRate), AuthenticationFilter.class)
                .addFilterBefore(new ApiBodyLimitFilter(), AuthorizationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/api/usage/track").hasAnyRole("ADMIN", "SERVICE")
                        .requestMatchers(HttpMethod.GET, "/api/usage/current", "/api/usage/limits", "/api/features/available").hasAnyRole(READ_USAGE)
                        .requestMatchers(HttpMethod.POST, "/api/features/check").hasAnyRole(READ_USAGE)
                        .requestMatchers(HttpMethod.POST, "/api/billing/subscribe").hasAnyRole(CHANGE_PLAN)
                        .requestMatchers(HttpMethod.PUT, "/api/billing/upgrade", "/api/billing/downgrade").hasAnyRole(CHANGE_PLAN)
                        .requestMatchers(HttpMethod.DELETE, "/api/billing/cancel").hasAnyRole(CHANGE_PLAN)
                        .requestMatchers(HttpMethod.GET, "/api/billing/subscription").hasAnyRole("ADMIN", "SERVICE", "FINANCE", "OPERATOR", "CUSTOMER")
                        .requestMatchers(HttpMethod.GET, "/api/billing/invoices", "/api/billing/invoices/*").hasAnyRole(READ_BILLING)
                        .requestMatchers(HttpMethod.GET, "/api/analytics", "/api/experiments/*").hasAnyRole("ADMIN", "FINANCE", "OPERATOR")
                        .requestMatchers("/api/ops/**", "/actuator/prometheus").hasAnyRole("ADMIN", "OPERATOR")
                        .anyRequest().authenticated())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, e) -> ApiErrorWriter.write(response, 401, "unauthorized",
                                "send Authorization: Bearer <key> (jobs/billing api-key create)"))
                        .accessDeniedHandler((request, response, e) -> ApiErrorWriter.write(response, 403, "forbidden",
                                "this key's role may not " + request.getMethod() + " " + request.getRequestURI())))
                .build();
    }

    /** The Stripe webhook proves itself by its signature; no key, no session. (Order 2 is the console's pages.) */
    @Bean
    @Order(3)
    SecurityFilterChain openEndpoints(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .build();
    }
}
