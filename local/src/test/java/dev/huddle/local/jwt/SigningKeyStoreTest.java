package dev.huddle.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyStoreTest {
    @TempDir
    Path dir;

    @Test
    void createsKeyOnFirstUse_readableOnlyByOwner() throws Exception {
        Path file = dir.resolve("state/jwt-signing-key.json");

        RSAKey key = SigningKeyStore.loadOrCreate(file);

        assertThat(key.isPrivate()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void reusesStoredKey_soTokenAndRunAgreeAcrossProcesses() {
        Path file = dir.resolve("jwt-signing-key.json");

        RSAKey first = SigningKeyStore.loadOrCreate(file);
        RSAKey second = SigningKeyStore.loadOrCreate(file);

        assertThat(second).isEqualTo(first);
    }

    @Test
    void usesAnExistingKeyFile() throws Exception {
        Path file = dir.resolve("provided.json");
        Files.writeString(file, TestKeys.KEY.toJSONString());

        assertThat(SigningKeyStore.loadOrCreate(file).getKeyID()).isEqualTo(TestKeys.KEY.getKeyID());
    }

    @Test
    void refusesKeyFileWithoutPrivateKey() throws Exception {
        Path file = dir.resolve("public.json");
        Files.writeString(file, TestKeys.KEY.toPublicJWK().toJSONString());

        assertThatThrownBy(() -> SigningKeyStore.loadOrCreate(file))
                .hasMessageContaining("holds no private key");
    }
}
