package dev.huddle.local.jwt;

import java.util.Map;

/** The outcome of checking a bearer token: the verified claims, or why the request is refused. */
public sealed interface TokenVerification {

    /** The signature, time window, issuer and audience are valid; {@code claims} as in the token. */
    record Verified(Map<String, Object> claims) implements TokenVerification {
        public Verified {
            claims = Map.copyOf(claims);
        }
    }

    /** The request must be refused with 401; {@code message} says why, for the client developer. */
    record Rejected(String message) implements TokenVerification {
    }
}
