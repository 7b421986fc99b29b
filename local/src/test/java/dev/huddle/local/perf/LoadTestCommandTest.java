package dev.huddle.local.perf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.Json;
import dev.huddle.local.stack.EmulatedStack;
import dev.huddle.local.stack.SharedTestStack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The loadtest command end to end, small: a few learners for a few seconds. */
class LoadTestCommandTest {
    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @Test
    void deliversEveryEventAndEndsWithTheFiguresAsOneJsonLine_againstARunningStack() throws Exception {
        EmulatedStack stack = SharedTestStack.stack();
        DatabaseConfig database = stack.config().database();
        Path report = directory.resolve("report.html");

        int exit = execute("--target", stack.baseUrl(),
                "--state-dir", stack.jwt().keyFile().getParent().toString(),
                "--jdbc-url", database.url(), "--db-user", database.user(), "--db-password", database.password(),
                "--learners", "30", "--duration", "3s", "--rate", "30", "--warm-up", "0s",
                "--report", report.toString());

        assertThat(exit).as(progress.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode figures = lastLineAsJson();
        // A loaded machine may shed some attempts (503 + Retry-After), each retried until admitted, and the
        // generator may fall over 200 ms behind its plan and drop a request (never sent, never lost).
        assertThat(figures.path("eventsSent").asLong()).isPositive()
                .isEqualTo(figures.path("eventsPlanned").asLong() - figures.path("droppedEvents").asLong());
        assertThat(figures.path("admitted").asLong()).isEqualTo(figures.path("eventsSent").asLong() / 5)
                .isEqualTo(figures.path("status").path("200").asLong());
        assertThat(figures.path("requests").asLong())
                .isEqualTo(figures.path("admitted").asLong() + figures.path("shed").asLong());
        assertThat(figures.path("accepted").asLong()).isEqualTo(figures.path("eventsSent").asLong());
        assertThat(figures.path("rowsInDatabase").asLong()).isEqualTo(figures.path("accepted").asLong());
        assertThat(figures.path("lost").asLong()).isZero();
        assertThat(figures.path("p95Ms").asDouble()).isPositive();
        // The handler's own figures, from the Server-Timing header the local stack's answers carry.
        JsonNode handler = figures.path("handler");
        assertThat(handler.path("total").path("answers").asLong()).isEqualTo(figures.path("admitted").asLong());
        assertThat(handler.path("cpu").path("p50Ms").asDouble()).isPositive();
        assertThat(handler.path("db").path("p50Ms").asDouble()).isPositive();
        assertThat(handler.path("rateLimit").path("p50Ms").asDouble()).isPositive();
        assertThat(handler.path("total").path("p99Ms").asDouble())
                .isGreaterThanOrEqualTo(handler.path("db").path("p50Ms").asDouble());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Handler's own figures (in-process");
        assertThat(Files.readString(report)).contains("<canvas", "\"perSecond\"").doesNotContain("/*DATA*/");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Reconciliation", "rows in database");
    }

    @Test
    void answers503DuringADatabaseOutage_andDeliversEverythingAfterIt() throws Exception {
        int exit = execute("--learners", "20", "--duration", "6s", "--rate", "20", "--warm-up", "0s",
                "--db-outage-at", "1s", "--db-outage-for", "3s", "--report", directory.resolve("outage.html").toString());

        assertThat(exit).as(progress.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode figures = lastLineAsJson();
        assertThat(figures.path("status").path("503").asLong()).isPositive();
        // An own stack: its processes' CPU and its functions' log are part of the figures.
        assertThat(figures.path("cpu").path("stackJvm").path("msPerAnswer").asDouble()).isPositive();
        assertThat(figures.path("cpu").has("postgres")).isTrue();
        assertThat(figures.path("cpu").has("dynalite")).isTrue();
        assertThat(figures.path("functionsLog").path("ingestAnswers").asLong()).isPositive();
        assertThat(figures.path("retries").asLong()).isPositive();
        assertThat(figures.path("notDelivered").asLong()).isZero();
        assertThat(figures.path("lost").asLong()).isZero();
        assertThat(figures.path("rowsInDatabase").asLong()).isEqualTo(figures.path("eventsSent").asLong());
        assertThat(progress.toString(StandardCharsets.UTF_8))
                .contains("database outage starts", "database outage ends");
    }

    @Test
    void drainsEveryClientAndFindsEveryTrackedEventInTheDatabase_inClientsMode() throws Exception {
        EmulatedStack stack = SharedTestStack.stack();
        DatabaseConfig database = stack.config().database();

        int exit = execute("--target", stack.baseUrl(),
                "--state-dir", stack.jwt().keyFile().getParent().toString(),
                "--jdbc-url", database.url(), "--db-user", database.user(), "--db-password", database.password(),
                "--clients", "4", "--duration", "3s", "--track-every", "500ms");

        assertThat(exit).as(progress.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode figures = lastLineAsJson();
        assertThat(figures.path("tracked").asLong()).isGreaterThanOrEqualTo(4 * 2 * 5);
        assertThat(figures.path("rowsInDatabase").asLong()).isEqualTo(figures.path("tracked").asLong());
        assertThat(figures.path("refusedByFullQueue").asLong()).isZero();
        assertThat(figures.path("allDrained").asBoolean()).isTrue();
        assertThat(figures.path("firstMedianIntervalMs").asLong()).isPositive();
    }

    @Test
    void refusesFaultOptions_whenTheTargetIsARunningStack() {
        CommandLine commandLine = commandLine();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));

        int exit = commandLine.execute("--target", "http://127.0.0.1:1", "--db-latency", "200ms");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--db-latency");
    }

    private int execute(String... args) {
        return commandLine().execute(args);
    }

    private CommandLine commandLine() {
        return new CommandLine(new LoadTestCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8)));
    }

    private JsonNode lastLineAsJson() throws Exception {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return Json.mapper().readTree(lines.getLast());
    }
}
