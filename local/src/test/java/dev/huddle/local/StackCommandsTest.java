package dev.huddle.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.local.stack.EmulatedStack;
import dev.huddle.local.stack.SharedTestStack;
import dev.huddle.ops.target.StackEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: every command that talks to a running stack finds the one in {@code --state-dir}, run as a
 * user runs it: its own JVM, started in another working directory (no {@code .local-stack} there) with no
 * address in its environment. One stack (the shared test stack, whose endpoints.json names this JVM) serves
 * every command.
 */
class StackCommandsTest {
    private static EmulatedStack stack;
    private static Path stateDirectory;

    @TempDir
    Path elsewhere;

    @BeforeAll
    static void startStack() {
        stack = SharedTestStack.stack();
        stateDirectory = SharedTestStack.stateDirectory();
    }

    @Test
    void token_signsWithTheKeyOfTheStackInTheStateDirectory_soThatStackAcceptsIt() throws Exception {
        Result token = run("token", "--user", "learner-4801", "--state-dir", stateDirectory.toString());

        assertThat(token.exit()).as(token.output()).isZero();
        String body = "{\"events\":[{\"eventId\":\"sc-token-1\",\"type\":\"lesson_progress\",\"courseId\":\"course-101\","
                + "\"lessonId\":\"course-101-lesson-01\",\"progressPercent\":10,\"timeSpentSeconds\":5,\"occurredAt\":\""
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}]}";
        var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(stack.baseUrl() + "/api/client/progress/batch"))
                .header("Authorization", "Bearer " + token.lastLine()).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)).build(), BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void backfill_writesIntoTheDatabaseOfTheStackInTheStateDirectory() throws Exception {
        Result backfill = run("backfill", "--days", "1", "--events-per-day", "10", "--state-dir", stateDirectory.toString());

        assertThat(backfill.exit()).as(backfill.output()).isZero();
        assertThat(backfill.output()).contains("into " + stack.config().database().url().replaceFirst("\\?.*", ""));
        JsonNode totals = Json.mapper().readTree(backfill.lastLine());
        assertThat(totals.path("accepted").asLong() + totals.path("duplicate").asLong()).isEqualTo(10);
    }

    @Test
    void retention_dryRunWorksAgainstTheDatabaseAndBucketOfTheStackInTheStateDirectory() throws Exception {
        Result retention = run("retention", "--dry-run", "--state-dir", stateDirectory.toString());

        assertThat(retention.output()).contains("Dry run");
        JsonNode report = Json.mapper().readTree(retention.lastLine());
        assertThat(report.path("dryRun").asBoolean()).isTrue();
    }

    @Test
    void replay_listsTheDeadLettersOfTheStackInTheStateDirectory() throws Exception {
        Result replay = run("replay", "--dry-run", "--state-dir", stateDirectory.toString());

        assertThat(replay.exit()).as(replay.output()).isZero();
        assertThat(replay.output()).contains("Dry run, would move")
                .contains(stack.providedSettings().get("ROLLUP_DLQ_URL"));
    }

    @Test
    void loadtestAgainstATarget_reconcilesInTheDatabaseOfTheStackInTheStateDirectory() throws Exception {
        Result loadtest = run("loadtest", "--target", stack.baseUrl(), "--state-dir", stateDirectory.toString(),
                "--learners", "10", "--rate", "10", "--duration", "2s", "--warm-up", "0s",
                "--report", elsewhere.resolve("report.html").toString());

        assertThat(loadtest.exit()).as(loadtest.output()).isZero();
        JsonNode json = Json.mapper().readTree(loadtest.lastLine());
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("rowsInDatabase").asLong()).isPositive()
                .isEqualTo(json.path("accepted").asLong() + json.path("duplicates").asLong());
    }

    @Test
    void everyCommand_withoutARunningStackInTheStateDirectory_failsNamingItAndHowToStartOne() throws Exception {
        Path empty = Files.createDirectories(elsewhere.resolve("no-stack"));
        List<List<String>> commands = List.of(
                List.of("token", "--user", "learner-0001"),
                List.of("backfill", "--days", "1"),
                List.of("retention", "--dry-run"),
                List.of("replay", "--dry-run"),
                List.of("loadtest", "--target", stack.baseUrl(), "--duration", "1s"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--state-dir", empty.toString()));

            Result result = run(args.toArray(String[]::new));

            assertThat(result.exit()).as(String.join(" ", command)).isEqualTo(1);
            assertThat(result.output()).as(String.join(" ", command))
                    .contains("no running local stack in " + empty.toAbsolutePath())
                    .contains("local-stack.jar run --state-dir " + empty.toAbsolutePath());
        }
    }

    private record Result(int exit, String output) {
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    /** The tool in a JVM of its own, started in another directory, without the stack's addresses in its environment. */
    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "-cp", System.getProperty("java.class.path"),
                LocalStackCli.class.getName()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(elsewhere, "out", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        StackEndpoints.ADDRESS_SETTINGS.forEach(builder.environment()::remove);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end within 5 minutes: " + String.join(" ", args));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
