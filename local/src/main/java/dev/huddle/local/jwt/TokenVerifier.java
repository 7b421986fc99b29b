package dev.huddle.local.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a bearer token the way API Gateway's JWT authorizer does before any function runs: the
 * signature with the issuer's public key, {@code exp} (required), {@code nbf} and {@code iat} with a small
 * clock skew, {@code iss} and {@code aud}. See
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * (section "Validating a JWT").
 *
 * <p>A token whose signature checked out is remembered (bounded; Caffeine evicts the least used): an RS256
 * check took about 0.2 ms of CPU per request, a sixth of the local stack's CPU in a load test (JFR,
 * docs/PERFORMANCE.md), and on AWS that work is API Gateway's, not ours. The time claims are checked on
 * every request all the same, so a remembered token still expires; the key never changes for the life of a
 * verifier.
 */
public final class TokenVerifier {
    public static final String MISSING_TOKEN = "missing token";
    public static final String MALFORMED_TOKEN = "malformed token";
    public static final String BAD_SIGNATURE = "bad signature";
    public static final String EXPIRED = "token expired";
    public static final String NOT_YET_VALID = "token not yet valid";
    public static final String INVALID_ISSUER = "invalid issuer";
    public static final String INVALID_AUDIENCE = "invalid audience";

    /** Enough for every learner of a load test (5,000) and their retries; about 2 KB each. */
    static final int REMEMBERED_TOKENS = 10_000;

    private final RSAKey publicKey;
    private final JwtSettings settings;
    private final Clock clock;
    private final Cache<String, SignedClaims> signatureChecked =
            Caffeine.newBuilder().maximumSize(REMEMBERED_TOKENS).build();

    public TokenVerifier(RSAKey key, JwtSettings settings, Clock clock) {
        this.publicKey = key.toPublicJWK();
        this.settings = settings;
        this.clock = clock;
    }

    /** A token's claims, parsed and with a valid signature, and its payload as the event carries it. */
    private record SignedClaims(JWTClaimsSet claims, Map<String, Object> payload) {
    }

    /** Verifies the value of an {@code Authorization} header ({@code Bearer <jwt>}; null when absent). */
    public TokenVerification verifyAuthorizationHeader(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new TokenVerification.Rejected(MISSING_TOKEN);
        }
        String value = authorization.trim();
        // API Gateway accepts the token with or without the "Bearer " prefix.
        if (value.equalsIgnoreCase("bearer")) {
            value = "";
        } else if (value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
            value = value.substring("bearer ".length()).trim();
        }
        return value.isEmpty() ? new TokenVerification.Rejected(MISSING_TOKEN) : verify(value);
    }

    public TokenVerification verify(String token) {
        SignedClaims signed = signatureChecked.getIfPresent(token);
        if (signed == null) {
            SignedJWT jwt;
            JWTClaimsSet parsed;
            try {
                jwt = SignedJWT.parse(token);
                parsed = jwt.getJWTClaimsSet();
            } catch (ParseException e) {
                return new TokenVerification.Rejected(MALFORMED_TOKEN);
            }
            if (!signatureIsValid(jwt)) {
                return new TokenVerification.Rejected(BAD_SIGNATURE);
            }
            // Copied once here, so that Verified's own copy of it costs nothing per request.
            signed = new SignedClaims(parsed, Map.copyOf(jwt.getPayload().toJSONObject()));
            signatureChecked.put(token, signed);
        }
        JWTClaimsSet claims = signed.claims();
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null
                || !now.minus(settings.clockSkew()).isBefore(claims.getExpirationTime().toInstant())) {
            return new TokenVerification.Rejected(EXPIRED);
        }
        if (isAfter(claims.getNotBeforeTime(), now) || isAfter(claims.getIssueTime(), now)) {
            return new TokenVerification.Rejected(NOT_YET_VALID);
        }
        if (!settings.issuer().equals(claims.getIssuer())) {
            return new TokenVerification.Rejected(INVALID_ISSUER);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(settings.audience())) {
            return new TokenVerification.Rejected(INVALID_AUDIENCE);
        }
        return new TokenVerification.Verified(signed.payload());
    }

    private boolean signatureIsValid(SignedJWT jwt) {
        // Only RS256 with our key: "alg":"none" or an HMAC keyed with the public key must fail.
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return false;
        }
        try {
            return jwt.verify(new RSASSAVerifier(publicKey));
        } catch (JOSEException e) {
            return false;
        }
    }

    private boolean isAfter(Date claimTime, Instant now) {
        return claimTime != null && claimTime.toInstant().isAfter(now.plus(settings.clockSkew()));
    }
}
