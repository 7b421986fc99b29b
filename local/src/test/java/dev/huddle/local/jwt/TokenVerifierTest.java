package dev.huddle.local.jwt;

import static dev.huddle.local.jwt.TestKeys.KEY;
import static dev.huddle.local.jwt.TestKeys.OTHER_KEY;
import static dev.huddle.local.jwt.TestKeys.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final TokenIssuer issuer = new TokenIssuer(KEY, SETTINGS);
    private final TokenVerifier verifier = new TokenVerifier(KEY, SETTINGS, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsTokenFromIssuer_andReturnsItsClaims() {
        String token = issuer.issue("learner-0001", Duration.ofHours(1), List.of("org-1", "org-2"), NOW);

        TokenVerification result = verifier.verifyAuthorizationHeader("Bearer " + token);

        assertThat(result).isInstanceOf(TokenVerification.Verified.class);
        var claims = ((TokenVerification.Verified) result).claims();
        assertThat(claims).containsEntry("sub", "learner-0001")
                .containsEntry("iss", "https://issuer.test")
                .containsEntry("scope", "admin:org-1 admin:org-2")
                .containsEntry("exp", NOW.plusSeconds(3600).getEpochSecond());
    }

    @Test
    void acceptsTokenWithoutBearerPrefix_likeApiGateway() {
        String token = issuer.issue("learner-0001", Duration.ofHours(1), List.of(), NOW);

        assertThat(verifier.verifyAuthorizationHeader(token)).isInstanceOf(TokenVerification.Verified.class);
    }

    @Test
    void rejectsMissingToken() {
        assertThat(verifier.verifyAuthorizationHeader(null)).isEqualTo(rejected(TokenVerifier.MISSING_TOKEN));
        assertThat(verifier.verifyAuthorizationHeader("Bearer  ")).isEqualTo(rejected(TokenVerifier.MISSING_TOKEN));
    }

    @Test
    void rejectsGarbage_asMalformed() {
        assertThat(verifier.verify("not.a-jwt")).isEqualTo(rejected(TokenVerifier.MALFORMED_TOKEN));
    }

    @Test
    void rejectsTokenSignedWithAnotherKey() {
        String token = new TokenIssuer(OTHER_KEY, SETTINGS).issue("learner-0001", Duration.ofHours(1), List.of(), NOW);

        assertThat(verifier.verify(token)).isEqualTo(rejected(TokenVerifier.BAD_SIGNATURE));
    }

    @Test
    void rejectsTokenWhosePayloadWasChanged() throws Exception {
        SignedJWT original = SignedJWT.parse(issuer.issue("learner-0001", Duration.ofHours(1), List.of(), NOW));
        JWTClaimsSet spoofed = new JWTClaimsSet.Builder(original.getJWTClaimsSet()).subject("learner-0002").build();
        String tampered = original.getHeader().toBase64URL() + "."
                + Base64URL.encode(spoofed.toString()) + "." + original.getSignature();

        assertThat(verifier.verify(tampered)).isEqualTo(rejected(TokenVerifier.BAD_SIGNATURE));
    }

    @Test
    void rejectsUnsignedAndHmacTokens() throws Exception {
        JWTClaimsSet claims = validClaims().build();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner(new byte[32]));

        assertThat(verifier.verify(new PlainJWT(claims).serialize())).isEqualTo(rejected(TokenVerifier.MALFORMED_TOKEN));
        assertThat(verifier.verify(hmac.serialize())).isEqualTo(rejected(TokenVerifier.BAD_SIGNATURE));
    }

    @Test
    void rejectsExpiredToken_beyondClockSkew() {
        String token = issuer.issue("learner-0001", Duration.ofMinutes(1), List.of(), NOW.minusSeconds(120));

        assertThat(verifier.verify(token)).isEqualTo(rejected(TokenVerifier.EXPIRED));
    }

    @Test
    void rejectsATokenItAcceptedBefore_onceTheTokenHasExpired() {
        AtomicReference<Instant> now = new AtomicReference<>(NOW);
        TokenVerifier remembering = new TokenVerifier(KEY, SETTINGS, new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        });
        String token = issuer.issue("learner-0001", Duration.ofMinutes(5), List.of(), NOW);
        assertThat(remembering.verify(token)).isInstanceOf(TokenVerification.Verified.class);
        assertThat(remembering.verify(token)).isInstanceOf(TokenVerification.Verified.class);

        now.set(NOW.plus(Duration.ofMinutes(10)));

        assertThat(remembering.verify(token)).isEqualTo(rejected(TokenVerifier.EXPIRED));
    }

    @Test
    void rejectsATamperedCopyOfATokenItAcceptedBefore() throws Exception {
        String token = issuer.issue("learner-0001", Duration.ofHours(1), List.of(), NOW);
        assertThat(verifier.verify(token)).isInstanceOf(TokenVerification.Verified.class);
        SignedJWT original = SignedJWT.parse(token);
        JWTClaimsSet spoofed = new JWTClaimsSet.Builder(original.getJWTClaimsSet()).subject("learner-0002").build();
        String tampered = original.getHeader().toBase64URL() + "."
                + Base64URL.encode(spoofed.toString()) + "." + original.getSignature();

        assertThat(verifier.verify(tampered)).isEqualTo(rejected(TokenVerifier.BAD_SIGNATURE));
        assertThat(verifier.verify(token)).isInstanceOf(TokenVerification.Verified.class);
    }

    @Test
    void acceptsJustExpiredToken_withinClockSkew() {
        String token = issuer.issue("learner-0001", Duration.ofMinutes(1), List.of(), NOW.minusSeconds(70));

        assertThat(verifier.verify(token)).isInstanceOf(TokenVerification.Verified.class);
    }

    @Test
    void rejectsTokenWithoutExpiry() throws Exception {
        assertThat(verifier.verify(sign(validClaims().expirationTime(null)))).isEqualTo(rejected(TokenVerifier.EXPIRED));
    }

    @Test
    void rejectsTokenNotYetValid() throws Exception {
        String token = sign(validClaims().notBeforeTime(Date.from(NOW.plusSeconds(120))));

        assertThat(verifier.verify(token)).isEqualTo(rejected(TokenVerifier.NOT_YET_VALID));
    }

    @Test
    void rejectsWrongIssuerAndWrongAudience() throws Exception {
        assertThat(verifier.verify(sign(validClaims().issuer("https://evil.test"))))
                .isEqualTo(rejected(TokenVerifier.INVALID_ISSUER));
        assertThat(verifier.verify(sign(validClaims().audience("other-api"))))
                .isEqualTo(rejected(TokenVerifier.INVALID_AUDIENCE));
    }

    @Test
    void acceptsAudienceList_containingOurs() throws Exception {
        String token = sign(validClaims().audience(List.of("other-api", "test-audience")));

        assertThat(verifier.verify(token)).isInstanceOf(TokenVerification.Verified.class);
    }

    private static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder()
                .issuer("https://issuer.test")
                .audience("test-audience")
                .subject("learner-0001")
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(600)));
    }

    private static String sign(JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(),
                claims.build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(KEY));
        return jwt.serialize();
    }

    private static TokenVerification rejected(String message) {
        return new TokenVerification.Rejected(message);
    }
}
