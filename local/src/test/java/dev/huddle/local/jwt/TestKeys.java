package dev.huddle.local.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Path;
import java.time.Duration;

/** Keys and settings for tests; RSA keys are generated once per test JVM (it takes a moment). */
public final class TestKeys {
    public static final RSAKey KEY = generate();
    public static final RSAKey OTHER_KEY = generate();
    public static final JwtSettings SETTINGS = new JwtSettings(Path.of("unused"), "https://issuer.test",
            "test-audience", Duration.ofSeconds(30));

    private TestKeys() {
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).algorithm(JWSAlgorithm.RS256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
