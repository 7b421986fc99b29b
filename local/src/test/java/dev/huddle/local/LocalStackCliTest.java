package dev.huddle.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.local.jwt.JwtSettings;
import dev.huddle.local.jwt.SigningKeyStore;
import dev.huddle.local.jwt.TokenVerification;
import dev.huddle.local.jwt.TokenVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LocalStackCliTest {
    @TempDir
    Path stateDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void tokenCommand_shouldPrintTokenThatTheStackAccepts() {
        SigningKeyStore.loadOrCreate(JwtSettings.from(Map.of(), stateDir).keyFile());  // as `run` leaves it
        int exit = run("token", "--user", "learner-0042", "--ttl", "15m", "--admin-org", "org-2",
                "--state-dir", stateDir.toString());

        assertThat(exit).isZero();
        JwtSettings settings = JwtSettings.from(Map.of(), stateDir);
        TokenVerification verification = new TokenVerifier(SigningKeyStore.loadOrCreate(settings.keyFile()),
                settings, Clock.systemUTC()).verify(out.toString().trim());
        assertThat(verification).isInstanceOfSatisfying(TokenVerification.Verified.class, verified -> {
            assertThat(verified.claims()).containsEntry("sub", "learner-0042").containsEntry("scope", "admin:org-2");
            long lifetime = (Long) verified.claims().get("exp") - (Long) verified.claims().get("iat");
            assertThat(lifetime).isEqualTo(15 * 60);
        });
    }

    @Test
    void tokenCommand_shouldRequireUser_withUsageExitCode() {
        assertThat(run("token", "--state-dir", stateDir.toString())).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--user");
    }

    @Test
    void tokenCommand_shouldRefuseUnreadableTtl_withUsageExitCode() {
        assertThat(run("token", "--user", "u", "--ttl", "soon", "--state-dir", stateDir.toString()))
                .isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("not a duration");
    }

    @Test
    void everyCommand_shouldHaveHelp() {
        CommandLine cli = LocalStackCli.commandLine();
        assertThat(cli.getSubcommands()).containsKey("token");
        for (String command : cli.getSubcommands().keySet()) {
            if (!command.equals("help")) {
                assertThat(run(command, "--help")).as(command + " --help").isZero();
                assertThat(out.toString()).contains("Usage: local-stack " + command);
            }
        }
    }

    private int run(String... args) {
        return LocalStackCli.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
