package dev.huddle.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.AwsClients;
import dev.huddle.common.AwsConfig;
import dev.huddle.common.Json;
import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.ingest.IngestDatabase;
import dev.huddle.ingest.PostgresEventStore;
import dev.huddle.ingest.ProgressEvent;
import dev.huddle.rollup.PostgresRollupWorker;
import dev.huddle.rollup.RollupJobMessage;
import dev.huddle.rollup.TestSqs;
import dev.huddle.sql.DatabaseRole;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;

/** Health's rollup figures from real PostgreSQL (the lag) and ElasticMQ (the queue depth). */
class RollupHealthIntegrationTest {
    private static final HealthConfig CONFIG = HealthConfig.from(Map.of("ROLLUP_LAG_DEGRADED_SECONDS", "300"));

    private final IngestDatabase db = IngestDatabase.create();
    private final DatabaseConnection probeConnection =
            new DatabaseConnection(db.factory(DatabaseRole.HEALTH, Duration.ofSeconds(1), "huddle-health-test", null));
    private final SqsClient sqs = TestSqs.client();
    private final TestSqs.Queues queues = TestSqs.createJobQueues(sqs);
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @AfterEach
    void close() {
        probeConnection.close();
    }

    private HttpResponse check(RollupQueueGauge gauge) {
        return new HealthService(new PostgresHealthProbe(probeConnection, 5_000), gauge, new LatencyEwma(), CONFIG).check();
    }

    private SqsRollupQueueGauge gauge() {
        return new SqsRollupQueueGauge(sqs, queues.mainUrl(), now::get);
    }

    private static JsonNode body(HttpResponse response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private void ingestTenEvents() throws Exception {
        PostgresEventStore store = new PostgresEventStore(new DatabaseConnection(
                db.factory(Duration.ofSeconds(5), "test-ingest", null)));
        Instant occurred = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<ProgressEvent> events = IntStream.range(0, 10).mapToObj(i -> new ProgressEvent(
                "health-" + i, ProgressEvent.Type.LESSON_PROGRESS, "course-101", "course-101-lesson-01",
                BigDecimal.TEN, 30, occurred.minusSeconds(i))).toList();
        store.storeProgress("learner-0001", events, OptionalInt.empty());
    }

    private void ageWaitingEvents(Duration by) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("update huddle.progress_events set received_at = received_at - interval '"
                    + by.toSeconds() + " seconds'");
        }
    }

    @Test
    void answersOk_withTheQueueDepthIncludingDelayedJobs_andNoLag() throws Exception {
        sqs.sendMessage(b -> b.queueUrl(queues.mainUrl()).messageBody(new RollupJobMessage("org-1").toJson())
                .messageGroupId("org-1").messageDeduplicationId("health-1"));

        JsonNode body = body(check(gauge()));

        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("rollups").get("queueDepth").asLong()).as("the job still waits out the queue delay")
                .isEqualTo(1);
        assertThat(body.get("rollups").get("oldestAgeSeconds").asLong()).isZero();
    }

    @Test
    void isDegradedWithRollupLag_untilTheWaitingEventsAreRolledUp() throws Exception {
        ingestTenEvents();
        ageWaitingEvents(Duration.ofMinutes(10));

        JsonNode lagging = body(check(gauge()));

        assertThat(lagging.get("status").asText()).isEqualTo("degraded");
        assertThat(lagging.get("reasons").toString()).isEqualTo("[\"rollup_lag\"]");
        assertThat(lagging.get("rollups").get("oldestAgeSeconds").asLong()).isBetween(600L, 660L);

        new PostgresRollupWorker(new DatabaseConnection(db.factory(DatabaseRole.ROLLUP_WORKER, Duration.ofSeconds(30), "test-rollup", null)), 5000)
                .runJob("org-1");

        JsonNode caughtUp = body(check(gauge()));
        assertThat(caughtUp.get("status").asText()).isEqualTo("ok");
        assertThat(caughtUp.get("rollups").get("oldestAgeSeconds").asLong()).isZero();
    }

    @Test
    void reportsTheQueueUnreachable_withA200_andLeavesTheVerdictToTheDatabase() throws Exception {
        AwsConfig closedPort = AwsConfig.from(Map.of("SQS_ENDPOINT", "http://127.0.0.1:1", "SQS_TIMEOUT_MS", "500"));
        RollupQueueGauge unreachable = new SqsRollupQueueGauge(AwsClients.sqs(closedPort), queues.mainUrl(), now::get);

        HttpResponse response = check(unreachable);

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        assertThat(body.get("reasons").toString()).isEqualTo("[\"rollup_queue_unreachable\"]");
        assertThat(body.get("rollups").get("queueDepth").isNull()).isTrue();
        assertThat(body.get("db").get("ok").asBoolean()).isTrue();
    }

    @Test
    void reportsTheQueueUnreachable_whenTheSqsClientBreaksWithANonSdkException() throws Exception {
        SqsClient broken = new SqsClient() {
            @Override
            public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
                throw new RuntimeException(new NullPointerException());
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {
            }
        };

        HttpResponse response = check(new SqsRollupQueueGauge(broken, queues.mainUrl(), now::get));

        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("reasons").toString()).isEqualTo("[\"rollup_queue_unreachable\"]");
    }

    @Test
    void readsTheQueueAgainOnlyAfterTheCachePeriod() {
        SqsRollupQueueGauge gauge = gauge();
        assertThat(gauge.read().depth()).hasValue(0);
        sqs.sendMessage(b -> b.queueUrl(queues.mainUrl()).messageBody(new RollupJobMessage("org-2").toJson())
                .messageGroupId("org-2").messageDeduplicationId("health-2"));

        assertThat(gauge.read().depth()).as("cached").hasValue(0);
        now.set(now.get().plus(SqsRollupQueueGauge.CACHE_FOR));
        assertThat(gauge.read().depth()).hasValue(1);
    }
}
