package dev.huddle.local.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;

/**
 * Loads the local signing key, creating it on first use.
 *
 * <p>The key is an RSA key pair used with RS256 rather than an HS256 secret because API Gateway's JWT
 * authorizer only accepts RSA-signed tokens whose public key it fetches from the issuer's JWKS: the local
 * tokens then have the same shape as production ones, and the front needs only the public half.
 *
 * <p>Two processes may start at the same moment ({@code run} and {@code token}); the key is written to a
 * temporary file and published with a hard link, which fails if the key already exists, so both processes
 * end up using the one key on disk.
 */
public final class SigningKeyStore {
    private SigningKeyStore() {
    }

    /** The key at {@code keyFile}; a new one is created there (mode 600) when the file does not exist. */
    public static RSAKey loadOrCreate(Path keyFile) {
        Path file = keyFile.toAbsolutePath();
        if (!Files.exists(file)) {
            create(file);
        }
        return read(file);
    }

    private static RSAKey read(Path file) {
        try {
            RSAKey key = RSAKey.parse(Files.readString(file));
            if (!key.isPrivate()) {
                throw new IllegalStateException("signing key " + file + " holds no private key");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signing key " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + file + " is not an RSA JWK: " + e.getMessage(), e);
        }
    }

    private static void create(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".jwt-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, generate().toJSONString());
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException anotherProcessWasFaster) {
                // Its key is complete (published by link) and is the one everybody uses.
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create signing key " + file, e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }
}
