package dev.huddle.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * shellcheck over every shell script git tracks (*.sh, and files whose first line is a shell's #!: local/run,
 * infra-cdk/synth-app, .ci/run, mvnw). .ci/run installs shellcheck (Debian package); on a machine without it
 * this test is skipped and says so in the build output.
 */
class ShellScriptsTest {
    private static final Pattern SHELL_SHEBANG = Pattern.compile("^#!.*\\b(ba|da|k)?sh\\b.*");
    private static List<String> scripts;

    @BeforeAll
    static void trackedScripts() throws Exception {
        ScriptRun files = ScriptRun.run(Map.of(), List.of("git", "ls-files"));
        assertThat(files.exitCode()).as("git ls-files: %s", files.output()).isZero();
        scripts = files.output().lines()
                .filter(name -> name.endsWith(".sh") || startsWithShellShebang(ScriptRun.ROOT.resolve(name)))
                .toList();
    }

    @Test
    void everyShellScriptIsFound() {
        assertThat(scripts).contains("infra-cdk/localstack/deploy.sh", "infra-cdk/localstack/smoke.sh",
                "infra-cdk/synth-app", "local/run", "local/find-jdk.sh", ".ci/run", "mvnw");
        assertThat(scripts).noneMatch(name -> name.endsWith(".java") || name.endsWith(".cmd"));
    }

    @Test
    void shellcheckReportsNothing() throws Exception {
        ScriptRun version = runOrNull(List.of("shellcheck", "--version"));
        if (version == null || version.exitCode() != 0) {
            String reason = "shellcheck is not installed (Debian: apt-get install shellcheck; .ci/run installs it): "
                    + "the repository's shell scripts were not checked";
            System.out.println("[template-tests] ShellScriptsTest skipped: " + reason);
            Assumptions.abort(reason);
        }
        List<String> command = new ArrayList<>(List.of("shellcheck", "--format=gcc"));
        command.addAll(scripts);

        ScriptRun check = ScriptRun.run(Map.of(), command);

        assertThat(check.exitCode()).as("shellcheck %s:%n%s", scripts, check.output()).isZero();
    }

    private static ScriptRun runOrNull(List<String> command) throws InterruptedException {
        try {
            return ScriptRun.run(Map.of(), command);
        } catch (IOException notFound) {
            return null;
        }
    }

    private static boolean startsWithShellShebang(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(128);
            String firstLine = new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
            return SHELL_SHEBANG.matcher(firstLine).matches();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
