package dev.huddle.local.clienttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browser client (web-client/) in Debian's Chromium, on the demo page the stack serves at /demo/:
 * local/src/test/browser/scenarios.mjs drives the browser with playwright-core and asks this class to slow
 * the database down or to check the rows; the rows are counted in PostgreSQL, requests in flight at the
 * front. Without chromium the tests are skipped, saying so in the build output (.ci/run installs it).
 */
class BrowserClientTest {
    private static final Path SCRIPT = Path.of("src/test/browser/scenarios.mjs");
    private static final Path OUTPUT = Path.of("target/browser-tests");
    private static final Duration SCENARIO_DEADLINE = Duration.ofMinutes(4);
    private static final InFlightCounter IN_FLIGHT = new InFlightCounter();
    private static String chromium;

    private final ClientTestStack stack = ClientTestStack.get();

    @BeforeAll
    static void findChromium() throws IOException {
        chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))) {
            String reason = "chromium is not installed (Debian: apt-get install chromium; .ci/run installs it):"
                    + " the browser client was not tested in a browser";
            System.out.println("[local] BrowserClientTest skipped: " + reason);
            Assumptions.abort(reason);
        }
        Files.createDirectories(OUTPUT);
        ClientTestStack.get().filterApi(IN_FLIGHT);
    }

    @BeforeEach
    void countAfresh() {
        IN_FLIGHT.reset();
    }

    @AfterEach
    void databaseFastAgain() {
        stack.proxy().latency(Duration.ZERO);
    }

    @Test
    void fiveHundredEventsOverBothQueues_landExactlyOnce_andTheDemoPagePlaysALesson() {
        run("exactly-once");
        Path screenshot = OUTPUT.resolve("demo-page.png");
        assertThat(screenshot).as("screenshot of the demo page").exists();
        assertThat(screenshot.toFile().length()).isGreaterThan(5_000);
    }

    @Test
    void rendererCrashedMidFlush_thePageOpenedAgainSendsTheRest_eachEventOnce() {
        run("crash");
    }

    @Test
    void tabClosedWithEventsQueued_theFinalKeepaliveFlushDeliversThem() {
        run("close-tab");
    }

    @Test
    void offline_theQueueGrows_andDrainsBackOnline() {
        run("offline");
    }

    @Test
    void twoTabs_oneRequestInFlightPerQueue_noDuplicateRows() {
        run("two-tabs");
        assertThat(IN_FLIGHT.most("/api/client/progress/batch")).as("progress requests in flight at once").isEqualTo(1);
        assertThat(IN_FLIGHT.most("/api/analytics/events/batch")).as("analytics requests in flight at once").isEqualTo(1);
    }

    @Test
    void slowDatabase_theIntervalRises_andComesBackDown() {
        String result = run("slow-server");
        System.out.println("[local] slow server: " + result);
    }

    /** Runs a scenario to its end, answering its questions; returns its RESULT line (it must pass). */
    private String run(String scenario) {
        List<String> output = new ArrayList<>();
        String result = null;
        try {
            Process node = new ProcessBuilder("node", SCRIPT.toString(), scenario, stack.baseUrl().toString(),
                    OUTPUT.toAbsolutePath().toString(), chromium)
                    .redirectErrorStream(true)
                    .start();
            Thread watchdog = new Thread(() -> {
                try {
                    if (!node.waitFor(SCENARIO_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                        node.destroyForcibly();
                    }
                } catch (InterruptedException ignored) {
                    node.destroyForcibly();
                }
            }, "browser-scenario-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8)); Writer answers = new OutputStreamWriter(node.getOutputStream(),
                    StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("ASK ")) {
                        answers.write(answer(line.substring(4)) + "\n");
                        answers.flush();
                    } else if (line.startsWith("RESULT ")) {
                        result = line.substring(7);
                    }
                }
            }
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("scenario ended").isTrue();
            assertThat(node.exitValue()).as("scenario %s passed; its output:%n%s", scenario, String.join("\n", output))
                    .isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        System.out.println("[local] browser scenario " + scenario + ": " + result);
        assertThat(result).as("scenario %s reported a result", scenario).isNotNull();
        return result;
    }

    private String answer(String question) {
        String[] words = question.split(" ");
        switch (words[0]) {
            case "db-latency" -> {
                stack.proxy().latency(Duration.ofMillis(Long.parseLong(words[1])));
                return "ok";
            }
            case "drained" -> {
                String prefix = words[1];
                long expected = Long.parseLong(words[2]);
                try {
                    await("the database holds the " + expected + " events " + prefix + "-*")
                            .atMost(Duration.ofSeconds(90)).until(() -> rows(prefix)[0] >= expected);
                } catch (ConditionTimeoutException notYet) {
                    // The script reports what the database holds; the scenario fails on it.
                }
                long[] rows = rows(prefix);
                return "rows " + rows[0] + " " + rows[1];
            }
            default -> throw new IllegalArgumentException("unknown question from the scenario: " + question);
        }
    }

    /** Rows and distinct events with ids {@code prefix-*}, both event tables together. */
    private long[] rows(String prefix) {
        String sql = "select count(*), count(distinct event_id) from (select event_id from huddle.progress_events"
                + " where event_id like ? union all select event_id from huddle.analytics_events where event_id like ?) e";
        try (Connection connection = stack.database().getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, prefix + "-%");
            query.setString(2, prefix + "-%");
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
