package dev.huddle.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.ingest.IngestDatabase;
import dev.huddle.sql.DatabaseRole;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresHealthProbeTest {

    @Test
    void answersOk_withTheBacklogClientsReportedInTheLast15Minutes() throws SQLException {
        IngestDatabase db = IngestDatabase.create();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("insert into huddle.client_queue_reports (user_id, depth, reported_at) values"
                    + " ('learner-0001', 30, now()), ('learner-0002', 12, now() - interval '14 minutes'),"
                    + " ('learner-0003', 99, now() - interval '16 minutes')");
        }
        try (DatabaseConnection connection = new DatabaseConnection(
                db.factory(DatabaseRole.HEALTH, Duration.ofSeconds(1), "huddle-health-test", null))) {
            PostgresHealthProbe probe = new PostgresHealthProbe(connection, 5_000);

            assertThat(probe.probe().offlineQueueBacklog()).isEqualTo(42);
            HttpResponse response = new HealthService(probe, new LatencyEwma(), HealthConfig.from(Map.of())).check();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"ok\"").contains("\"backlog\":42");
        }
    }

    @Test
    void readsTheRollupLagAtMostOncePerCachePeriod_soFrequentChecksStayCheap() throws SQLException {
        IngestDatabase db = IngestDatabase.create();
        try (DatabaseConnection connection = new DatabaseConnection(
                db.factory(DatabaseRole.HEALTH, Duration.ofSeconds(1), "huddle-health-test", null))) {
            PostgresHealthProbe probe = new PostgresHealthProbe(connection, 5_000);
            assertThat(probe.probe().rollupLagSeconds()).isZero();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                // Were the lag read again, the probe would now fail.
                st.execute("drop function huddle_api.rollup_lag()");
            }

            assertThat(probe.probe().offlineQueueBacklog()).isZero();
        }
    }

    @Test
    void countsEachLearnersLatestDepth_cappedSoOneLearnerCannotDegradeHealth() throws SQLException {
        IngestDatabase db = IngestDatabase.create();
        HealthConfig config = HealthConfig.from(Map.of("HEALTH_BACKLOG_DEGRADED", "5000"));
        try (DatabaseConnection connection = new DatabaseConnection(
                db.factory(DatabaseRole.HEALTH, Duration.ofSeconds(1), "huddle-health-test", null));
             Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            PostgresHealthProbe probe = new PostgresHealthProbe(connection, config.backlogDegraded());
            HealthService health = new HealthService(probe, new LatencyEwma(), config);

            // The ingest path writes through this procedure; the second report replaces the first.
            st.execute("select huddle_api.record_client_queue_depth('learner-0001', 3)");
            st.execute("select huddle_api.record_client_queue_depth('learner-0001', 10000)");
            assertThat(probe.probe().offlineQueueBacklog()).as("one learner counts at most a tenth").isEqualTo(500);
            assertThat(health.check().body()).contains("\"status\":\"ok\"");

            st.execute("select huddle_api.record_client_queue_depth('learner-0001', 7)");
            assertThat(probe.probe().offlineQueueBacklog()).as("only the latest report counts").isEqualTo(7);

            for (int i = 2; i <= 12; i++) {
                st.execute("select huddle_api.record_client_queue_depth('learner-%04d', 10000)".formatted(i));
            }
            assertThat(probe.probe().offlineQueueBacklog()).isEqualTo(7 + 11 * 500);
            assertThat(health.check().body()).contains("\"status\":\"degraded\"").contains("offline_queue_backlog");
        }
    }
}
