package dev.huddle.local.jwt;

import dev.huddle.ops.target.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the local token tool and the local HTTP front must agree on: where the signing key lives and which
 * issuer and audience tokens carry. Read from the environment so that {@code token} and {@code run},
 * started as separate processes, agree.
 *
 * <ul>
 *   <li>{@value #KEY_FILE_ENV}: path of the signing key (a private RSA JWK); default
 *       {@code <state dir>/jwt-signing-key.json}, created on first use.</li>
 *   <li>{@value #ISSUER_ENV} / {@value #AUDIENCE_ENV}: the {@code iss} and {@code aud} the front requires,
 *       like the issuer and audience of an API Gateway JWT authorizer.</li>
 * </ul>
 */
public record JwtSettings(Path keyFile, String issuer, String audience, Duration clockSkew) {
    public static final String KEY_FILE_ENV = "HUDDLE_JWT_KEY_FILE";
    public static final String ISSUER_ENV = "HUDDLE_JWT_ISSUER";
    public static final String AUDIENCE_ENV = "HUDDLE_JWT_AUDIENCE";

    public static final String DEFAULT_ISSUER = "https://local-stack.huddle.dev";
    public static final String DEFAULT_AUDIENCE = "huddle-ingest-api";
    /** Tolerated difference between the clocks of the token issuer and the front (exp, nbf, iat). */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    public JwtSettings {
        Objects.requireNonNull(keyFile, "keyFile == null");
        Objects.requireNonNull(issuer, "issuer == null");
        Objects.requireNonNull(audience, "audience == null");
        Objects.requireNonNull(clockSkew, "clockSkew == null");
    }

    /** Settings for a stack whose state (keys, database) lives in {@code stateDirectory}. */
    public static JwtSettings from(Map<String, String> env, Path stateDirectory) {
        return new JwtSettings(
                nonBlank(env.get(KEY_FILE_ENV)) ? Path.of(env.get(KEY_FILE_ENV).trim())
                        : stateDirectory.resolve("jwt-signing-key.json"),
                nonBlank(env.get(ISSUER_ENV)) ? env.get(ISSUER_ENV).trim() : DEFAULT_ISSUER,
                nonBlank(env.get(AUDIENCE_ENV)) ? env.get(AUDIENCE_ENV).trim() : DEFAULT_AUDIENCE,
                DEFAULT_CLOCK_SKEW);
    }

    /**
     * The JWT settings of the stack in {@code state}; fails when it holds no signing key (no stack ever
     * started there), so that a token is never signed with a new key nobody accepts.
     */
    public static JwtSettings ofStack(StateDirectory state, Map<String, String> environment) {
        JwtSettings jwt = from(environment, state.path());
        if (!Files.isRegularFile(jwt.keyFile())) {
            throw new IllegalStateException(state.noRunningStack() + " (no signing key at " + jwt.keyFile() + ")");
        }
        return jwt;
    }

    private static boolean nonBlank(String value) {
        return value != null && !value.isBlank();
    }
}
