package dev.huddle.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.Json;
import dev.huddle.local.stack.EmulatedStack;
import dev.huddle.local.stack.SharedTestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra-cdk/localstack/smoke.sh against a stand-in for a LocalStack deployment: the local stack (the real
 * handlers behind the API-Gateway-compatible front), an outputs.json shaped like the one
 * {@code cdklocal deploy --outputs-file} writes, and TOKEN from the {@code token} command. Proves the
 * script's parsing, its token path and its verdict; the deploy itself needs Docker and a LocalStack plan.
 */
class SmokeScriptTest {
    private static final Path SCRIPT = Path.of("../infra-cdk/localstack/smoke.sh").toAbsolutePath().normalize();
    private static EmulatedStack stack;

    @TempDir
    Path directory;

    @BeforeAll
    static void useTheSharedStack() {
        stack = SharedTestStack.stack();
    }

    @Test
    void learnerAssignedToTheSampleCourse_passes() throws Exception {
        // learner-4999 is in org-1 (demo data: learner n in org ((n - 1) mod 3) + 1), assigned course-101.
        Result run = smoke(outputs(Map.of("ApiUrl", stack.baseUrl() + "/", "DashboardName", "huddle",
                "UserPoolId", "us-east-1_local", "UserPoolClientId", "client")), token("learner-4999"));

        assertThat(run.output()).startsWith("PASS: HTTP 200, 3 accepted, 0 duplicates, 0 rejected (3 events)");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void learnerWithoutAssignment_fails() throws Exception {
        Result run = smoke(apiOutputs(), token("learner-without-org"));

        assertThat(run.output()).startsWith("FAIL: HTTP 200 but not every event was taken: 0 accepted, 0 duplicates, "
                + "3 rejected of 3 (no_assignment)");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void learnerOfAnotherOrg_fails() throws Exception {
        // learner-4998 is in org-3: a member, but not assigned course-101.
        Result run = smoke(apiOutputs(), token("learner-4998"));

        assertThat(run.output()).startsWith("FAIL: HTTP 200").contains("3 rejected of 3 (no_assignment)");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void tokenTheApiRefuses_fails() throws Exception {
        Result run = smoke(apiOutputs(), "not-a-jwt");

        assertThat(run.output()).startsWith("FAIL: HTTP 401").contains("unauthorized");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void outputsWithoutApiUrl_fail() throws Exception {
        Result run = smoke(outputs(Map.of("SchemaVersion", "4")), token("learner-4996"));

        assertThat(run.output()).startsWith("FAIL: no API URL among the stack outputs");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void noTokenAndNoUserPool_fails() throws Exception {
        Result run = smoke(apiOutputs(), null);

        assertThat(run.output()).startsWith("FAIL: no TOKEN given and no user pool / client id among the outputs");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    private Path apiOutputs() throws Exception {
        return outputs(Map.of("ApiUrl", stack.baseUrl() + "/"));
    }

    /** outputs.json as cdk deploy --outputs-file writes it: stack name, then output name to value. */
    private Path outputs(Map<String, String> outputs) throws Exception {
        Path file = directory.resolve("outputs.json");
        Files.writeString(file, Json.mapper().writeValueAsString(Map.of("HuddleIngest", outputs)));
        return file;
    }

    /** What {@code local-stack token --user USER --state-dir DIR} prints for the stack's state directory. */
    private static String token(String user) {
        StringWriter out = new StringWriter();
        int exit = LocalStackCli.commandLine().setOut(new PrintWriter(out, true))
                .execute("token", "--user", user, "--state-dir", stack.jwt().keyFile().getParent().toString());
        assertThat(exit).as("token command exit code").isZero();
        return out.toString().trim();
    }

    private record Result(int exitCode, String output) {
    }

    private Result smoke(Path outputs, String token) throws Exception {
        Path log = directory.resolve("smoke.log");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", SCRIPT.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OUTPUTS", outputs.toString());
        builder.environment().remove("TOKEN");
        if (token != null) {
            builder.environment().put("TOKEN", token);
        }
        Process process = builder.start();
        // Generous: one HTTP request and two short node runs.
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("smoke.sh did not end within 2 minutes: " + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }
}
