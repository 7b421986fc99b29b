package dev.huddle.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.Json;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.devservers.S3ProxyServer;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.ingest.IngestDatabase;
import dev.huddle.sql.DemoData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;

/** backfill, then retention --dry-run, then retention: the acceptance path on a real database and S3 API. */
class RetentionCommandsTest {
    private static S3ProxyServer s3Proxy;
    private final TestPostgres.Database database = IngestDatabase.seededDatabase();

    @BeforeAll
    static void startS3() {
        s3Proxy = S3ProxyServer.start(0);
    }

    @AfterAll
    static void stopS3() {
        s3Proxy.close();
    }

    private String[] db(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--jdbc-url", database.jdbcUrl(), "--db-user", database.user(), "--db-password",
                database.password()));
        return all.toArray(String[]::new);
    }

    private static JsonNode lastLine(ByteArrayOutputStream out) throws Exception {
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return Json.mapper().readTree(lines[lines.length - 1]);
    }

    private void rollUpEveryOrg() throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            for (String org : DemoData.orgIds()) {
                HuddleApi.runRollupJobsToCompletion(c, org, 100_000);
            }
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void backfillsThenListsThenSnapshotsAndDropsTheOldDays() throws Exception {
        S3Client s3 = AwsClients.s3(AwsConfig.from(Map.of("S3_ENDPOINT", s3Proxy.endpoint().toString())));
        s3.createBucket(b -> b.bucket("snapshots"));

        ByteArrayOutputStream backfillOut = new ByteArrayOutputStream();
        int backfilled = new CommandLine(new BackfillCommand(new PrintStream(backfillOut, true, StandardCharsets.UTF_8)))
                .execute(db("--days", "34", "--events-per-day", "120"));
        assertThat(backfilled).isZero();
        JsonNode totals = lastLine(backfillOut);
        assertThat(totals.get("sent").asLong()).isEqualTo(34 * 120);
        assertThat(totals.get("accepted").asLong()).isEqualTo(34 * 120);
        long rowsBefore = count("SELECT (SELECT count(*) FROM huddle.progress_events) + (SELECT count(*) FROM huddle.analytics_events)");
        assertThat(rowsBefore).isEqualTo(34 * 120);
        // The pipeline rolls events up long before retention; retention keeps what is not rolled up yet.
        rollUpEveryOrg();

        ByteArrayOutputStream dryOut = new ByteArrayOutputStream();
        int dry = new CommandLine(new RetentionCommand(new PrintStream(dryOut, true, StandardCharsets.UTF_8)))
                .execute(db("--dry-run", "--s3-endpoint", s3Proxy.endpoint().toString(), "--bucket", "snapshots"));
        assertThat(dry).isZero();
        // Days -34..-32 are due (older than 30 days + 1 of grace): two event tables each.
        assertThat(lastLine(dryOut).get("partitions")).hasSize(6);
        assertThat(s3.listObjectsV2(b -> b.bucket("snapshots")).contents()).isEmpty();

        ByteArrayOutputStream runOut = new ByteArrayOutputStream();
        int run = new CommandLine(new RetentionCommand(new PrintStream(runOut, true, StandardCharsets.UTF_8)))
                .execute(db("--s3-endpoint", s3Proxy.endpoint().toString(), "--bucket", "snapshots"));
        assertThat(run).isZero();
        JsonNode report = lastLine(runOut);
        assertThat(report.get("dropped").asLong()).isEqualTo(6);
        assertThat(s3.listObjectsV2(b -> b.bucket("snapshots")).contents()).hasSize(12);
        assertThat(count("SELECT count(*) FROM huddle.dropped_partitions")).isEqualTo(6);
        assertThat(count("SELECT (SELECT count(*) FROM huddle.progress_events) + (SELECT count(*) FROM huddle.analytics_events)"))
                .isEqualTo(rowsBefore - report.get("rowsExported").asLong()).isEqualTo(31 * 120);

        // A second backfill leaves the retired days alone, so the next retention run has nothing to refuse.
        ByteArrayOutputStream againOut = new ByteArrayOutputStream();
        new CommandLine(new BackfillCommand(new PrintStream(againOut, true, StandardCharsets.UTF_8)))
                .execute(db("--days", "34", "--events-per-day", "120"));
        assertThat(lastLine(againOut).get("retiredDaysSkipped").asInt()).isEqualTo(3);
        assertThat(lastLine(againOut).get("sent").asLong()).isEqualTo(31 * 120);
        ByteArrayOutputStream rerunOut = new ByteArrayOutputStream();
        int rerun = new CommandLine(new RetentionCommand(new PrintStream(rerunOut, true, StandardCharsets.UTF_8)))
                .execute(db("--s3-endpoint", s3Proxy.endpoint().toString(), "--bucket", "snapshots"));
        assertThat(rerun).isZero();
        assertThat(lastLine(rerunOut).get("partitions")).isEmpty();
    }

    @Test
    void storesNothingTwice_whenABackfillIsRepeated() throws Exception {
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        new CommandLine(new BackfillCommand(new PrintStream(ignored, true, StandardCharsets.UTF_8)))
                .execute(db("--days", "2", "--events-per-day", "150"));

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        new CommandLine(new BackfillCommand(new PrintStream(again, true, StandardCharsets.UTF_8)))
                .execute(db("--days", "2", "--events-per-day", "150"));

        assertThat(lastLine(again).get("duplicate").asLong()).isEqualTo(300);
        assertThat(lastLine(again).get("accepted").asLong()).isZero();
    }
}
