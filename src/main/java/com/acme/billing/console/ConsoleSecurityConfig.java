package com.acme.billing.console;

import com.acme.billing.access.ConsoleUsers;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may open which page (SPEC 12): {@code /pricing} and {@code /login} for everyone; {@code /console/billing} for
 * customers (their own user) and the staff roles (any user, to read), its plan changes for customers and admins only;
 * {@code /console/finance} for finance and admins,
 * {@code /console/ops} for operators and admins. Sign-in by form (e-mail, password) into a session whose cookie is
 * {@code HttpOnly} and {@code SameSite=Lax} (application.yml; {@code Secure} when the request came over TLS, as
 * Tomcat marks it behind a proxy that sends {@code X-Forwarded-Proto}); Spring Security's CSRF token on every form
 * and htmx request; sign-out by POST.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ConsoleSecurityConfig {

    @Bean
    @Order(2)
    SecurityFilterChain consoleSecurity(HttpSecurity http, ConsoleUsers users) throws Exception {
        // The machine's clock for the lock-out (see ConsoleAuthenticationProvider), whatever BILLING_NOW says.
        ProviderManager manager = new ProviderManager(new ConsoleAuthenticationProvider(users, Clock.systemUTC()));
        return http.securityMatcher("/", "/pricing", "/pricing/**", "/login", "/logout", "/console", "/console/**", "/webjars/**",
                        "/console.css", "/console.js", "/favicon.ico")
                .authenticationManager(manager)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/", "/pricing", "/pricing/**", "/login", "/webjars/**", "/console.css", "/console.js", "/favicon.ico").permitAll()
                        // Plan changes: the customer and admins only (service is a program's role; finance and operators read).
                        .requestMatchers(org.springframework.http.HttpMethod.POST, "/console/billing/**").hasAnyRole("CUSTOMER", "ADMIN")
                        .requestMatchers("/console/billing", "/console/billing/**").hasAnyRole("CUSTOMER", "ADMIN", "FINANCE", "OPERATOR")
                        .requestMatchers("/console/finance", "/console/finance/**").hasAnyRole("ADMIN", "FINANCE")
                        .requestMatchers("/console/ops", "/console/ops/**").hasAnyRole("ADMIN", "OPERATOR")
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").loginProcessingUrl("/login")
                        .usernameParameter("email").passwordParameter("password")
                        .successHandler((request, response, authentication) ->
                                response.sendRedirect(((ConsolePrincipal) authentication.getPrincipal()).home()))
                        // One answer for a wrong password, an unknown address and a locked account: none tells which
                        // addresses have accounts (ConsoleAuthenticationProvider).
                        .failureHandler((request, response, e) -> response.sendRedirect("/login?error")))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signed-out"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")))
                .build();
    }
}
