package dev.huddle.perf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.devservers.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void runsEveryMethodOnAnExternalDatabase_andEndsWithTheFiguresAsOneJsonLine() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchCommand command = new BenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        int exit = new CommandLine(command).execute("--events", "300", "--repeat", "1",
                "--jdbc-url", db.jdbcUrl(), "--user", db.user(), "--password", db.password());

        assertThat(exit).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        JsonNode figures = Json.mapper().readTree(lines.getLast());
        for (String field : List.of("perEventEps", "batchEps", "batch2Eps", "copyEps", "batchVsPerEvent", "batchVsCopy",
                "batchMsPerCall", "perEventWalBytes", "batchWalBytes", "batch2WalBytes", "copyWalBytes")) {
            assertThat(figures.path(field).asDouble()).as(field).isPositive();
        }
        assertThat(figures.path("batchSize").asInt()).isEqualTo(100);
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("(a) per-event upserts", "(c) COPY");
        // Warm-up and measured runs: 300 events per method each; COPY bypasses dedupe, so count all rows.
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rows = st.executeQuery("SELECT count(*) FROM huddle.progress_events")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(2 * 4 * 300);
        }
    }

    @Test
    void batchSize_setsTheEventsPerProcedureCall() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BenchCommand command = new BenchCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        int exit = new CommandLine(command).execute("--events", "100", "--repeat", "1", "--batch-size", "5",
                "--jdbc-url", db.jdbcUrl(), "--user", db.user(), "--password", db.password());

        assertThat(exit).isZero();
        JsonNode figures = Json.mapper().readTree(out.toString(StandardCharsets.UTF_8).lines().toList().getLast());
        assertThat(figures.path("batchSize").asInt()).isEqualTo(5);
        // (b) and (b2), warm-up and measured run on a fresh database: 4 x 100 events in calls of 5.
        assertThat(procedureCalls(db)).isEqualTo(4 * 100 / 5);
    }

    /**
     * Writing transactions among the events of methods 1 and 2, the procedure's (event ids end in
     * {@code m<method>-<batch>-<event>}); with autocommit each call is one transaction.
     */
    private static long procedureCalls(TestPostgres.Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rows = st.executeQuery("SELECT count(DISTINCT ingest_xid) FROM huddle.progress_events"
                        + " WHERE event_id ~ 'm[12]-[0-9]+-[0-9]+$'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void refusesFewerEventsThanOneBatch() {
        BenchCommand command = new BenchCommand(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        CommandLine commandLine = new CommandLine(command);
        commandLine.setErr(new java.io.PrintWriter(new ByteArrayOutputStream()));

        assertThat(commandLine.execute("--events", "10")).isNotZero();
    }
}
