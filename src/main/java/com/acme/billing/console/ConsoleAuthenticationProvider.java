package com.acme.billing.console;

import com.acme.billing.access.ConsoleUsers;
import java.time.Clock;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * E-mail and password against {@link ConsoleUsers}: a locked account is refused whatever the password; a wrong
 * password counts towards the lock-out. Every refusal costs one bcrypt check and reads the same on the page, so
 * neither the delay nor the words tell an unknown address from a locked account or a wrong password. (Anyone who
 * knows an address can lock it for 15 minutes by guessing: the usual price of a lock-out, accepted.) The lock-out runs on the machine's clock, not on
 * {@code BILLING_NOW}: it is about when someone is guessing, not about the billing period.
 */
final class ConsoleAuthenticationProvider implements AuthenticationProvider {

    private final ConsoleUsers users;
    private final Clock clock;

    ConsoleAuthenticationProvider(ConsoleUsers users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String email = ConsoleUsers.normalized(authentication.getName());
        String password = authentication.getCredentials() == null ? null : authentication.getCredentials().toString();
        var found = users.find(email);
        if (found.isEmpty()) {
            users.passwordMatchesNobody(password);
            throw new BadCredentialsException("wrong e-mail or password");
        }
        var user = found.get();
        if (user.lockedAt(clock.instant())) {
            // The same bcrypt time as any other answer, and the same words on the page (the handler says one thing).
            users.passwordMatchesNobody(password);
            throw new LockedException("too many failed sign-ins: locked until " + user.lockedUntil());
        }
        if (!users.passwordMatches(user, password)) {
            users.recordFailure(email, clock.instant());
            throw new BadCredentialsException("wrong e-mail or password");
        }
        users.recordSuccess(email);
        ConsolePrincipal principal = new ConsolePrincipal(user.email(), user.role(), user.userId());
        return UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + user.role().name())));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
