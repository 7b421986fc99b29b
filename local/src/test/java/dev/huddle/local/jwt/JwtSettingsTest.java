package dev.huddle.local.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.ops.target.StateDirectory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's JWT settings as commands find them through its state directory (ops/'s StateDirectory). */
class JwtSettingsTest {
    @TempDir
    Path directory;

    @Test
    void jwt_withoutASigningKey_failsInsteadOfCreatingOne() {
        assertThatThrownBy(() -> JwtSettings.ofStack(StateDirectory.of(directory), Map.of()))
                .hasMessageContaining("no running local stack in " + directory.toAbsolutePath())
                .hasMessageContaining("no signing key");
        assertThat(directory.resolve("jwt-signing-key.json")).doesNotExist();
    }
}
