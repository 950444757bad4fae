package com.acme.billing.api;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A bearer key as presented (not yet checked), or the caller it was found to be (authenticated, with its role). */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String secret;
    private final ApiCaller caller;

    private ApiKeyAuthentication(String secret, ApiCaller caller) {
        super(caller == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
        this.secret = secret;
        this.caller = caller;
        setAuthenticated(caller != null);
    }

    static ApiKeyAuthentication presented(String secret) {
        return new ApiKeyAuthentication(secret, null);
    }

    static ApiKeyAuthentication of(ApiCaller caller) {
        return new ApiKeyAuthentication(null, caller);
    }

    String secret() {
        return secret;
    }

    /** Never the key itself: this object may be logged. */
    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String toString() {
        return caller == null ? "ApiKeyAuthentication[unchecked]" : "ApiKeyAuthentication[key " + caller.keyId() + ", " + caller.role().id() + "]";
    }
}
