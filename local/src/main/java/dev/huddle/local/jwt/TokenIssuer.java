package dev.huddle.local.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Signs tokens like the ones the production identity provider gives learners: RS256, {@code iss},
 * {@code aud}, {@code sub} = user id, {@code iat}, {@code exp}, {@code jti}.
 *
 * <p>Admin rights travel in the standard OAuth 2.0 {@code scope} claim, a space-separated string such as
 * {@code "admin:org-1 admin:org-2"}: API Gateway's JWT authorizer passes it to the function unchanged in
 * {@code requestContext.authorizer.jwt.claims.scope} (and can match it against route authorization
 * scopes), so handlers read admin rights the same way locally and on AWS.
 */
public final class TokenIssuer {
    /** Prefix of the scope that grants admin rights on one org: {@code admin:<orgId>}. */
    public static final String ADMIN_SCOPE_PREFIX = "admin:";

    private final RSAKey key;
    private final JwtSettings settings;

    public TokenIssuer(RSAKey key, JwtSettings settings) {
        this.key = Objects.requireNonNull(key, "key == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
    }

    public String issue(String userId, Duration ttl, Collection<String> adminOrgs, Instant now) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId is blank");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(settings.audience())
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        if (!adminOrgs.isEmpty()) {
            claims.claim("scope", adminOrgs.stream().map(org -> ADMIN_SCOPE_PREFIX + org)
                    .collect(Collectors.joining(" ")));
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(),
                claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
        return jwt.serialize();
    }
}
