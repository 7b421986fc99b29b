package dev.huddle.local.clienttests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a run: a child JVM tracks events into a queue directory and is killed
 * (destroyForcibly) while it is still tracking and sending; a second run on the same directory tracks the
 * rest and drains. The database then holds every event exactly once.
 */
class CrashRecoveryTest {
    private static final String LEARNER = "learner-4000"; // org-1: assigned course-101
    private static final int EVENTS = 2_000;

    @TempDir
    Path queueDirectory;

    private final ClientTestStack stack = ClientTestStack.get();

    @Test
    void killedMidRun_thenRestarted_deliversEveryEventExactlyOnce() throws Exception {
        String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        long base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60).toEpochMilli();
        String token = stack.token(LEARNER);

        AtomicInteger lastTracked = new AtomicInteger(-1);
        Process first = child(token, prefix, 0, EVENTS, base, lastTracked, new CopyOnWriteArrayList<>());
        // Checked often: the kill must land while the first run is still sending (asserted below).
        await("the first run has stored half its events and the server has some").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(20)).until(() -> lastTracked.get() >= EVENTS / 2 && rows(prefix) > 0);
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int trackedBeforeKill = lastTracked.get();
        long rowsAtKill = rows(prefix);
        assertThat(rowsAtKill).as("killed mid-run: not everything was sent yet").isLessThan(EVENTS);

        List<String> secondOutput = new CopyOnWriteArrayList<>();
        Process second = child(token, prefix, trackedBeforeKill + 1, EVENTS, base, new AtomicInteger(), secondOutput);
        assertThat(second.waitFor(3, TimeUnit.MINUTES)).as("second run finished").isTrue();
        assertThat(second.exitValue()).as("second run drained; output " + tail(secondOutput)).isZero();

        try (Connection connection = stack.database().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*), count(distinct event_id) from huddle.progress_events"
                                + " where user_id = ? and event_id like ?")) {
            query.setString(1, LEARNER);
            query.setString(2, prefix + "-%");
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows (none doubled)").isEqualTo(EVENTS);
                assertThat(rs.getLong(2)).as("distinct events (none missing)").isEqualTo(EVENTS);
            }
        }
    }

    private Process child(String token, String prefix, int from, int to, long base, AtomicInteger lastTracked,
            List<String> output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TrackingChild.class.getName(), stack.baseUrl().toString(), token, queueDirectory.toString(),
                prefix, Integer.toString(from), Integer.toString(to), Long.toString(base))
                .redirectErrorStream(true)
                .start();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("tracked ")) {
                        lastTracked.set(Integer.parseInt(line.substring("tracked ".length())));
                    } else {
                        output.add(line);
                    }
                }
            } catch (IOException | RuntimeException processGone) {
                // The process was killed.
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private long rows(String prefix) {
        try (Connection connection = stack.database().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select count(*) from huddle.progress_events where user_id = ? and event_id like ?")) {
            query.setString(1, LEARNER);
            query.setString(2, prefix + "-%");
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(List<String> output) {
        return String.join(File.separator.equals("/") ? "\n" : "\r\n",
                output.subList(Math.max(0, output.size() - 20), output.size()));
    }
}
