package dev.huddle.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.Json;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthServiceTest {
    private static final HealthConfig CONFIG = HealthConfig.from(Map.of("DB_LATENCY_SLO_MS", "500",
            "HEALTH_BACKLOG_DEGRADED", "1000", "RETRY_AFTER_SECONDS", "4", "ROLLUP_LAG_DEGRADED_SECONDS", "120"));
    private final LatencyEwma storeLatency = new LatencyEwma();
    private RollupQueueGauge rollupQueue = () -> RollupQueueGauge.Reading.of(7);

    private HttpResponse check(HealthProbe probe) {
        return new HealthService(probe, rollupQueue, storeLatency, CONFIG).check();
    }

    private static JsonNode body(HttpResponse response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    @Test
    void answersOk_withTheContractShape() throws Exception {
        HttpResponse response = check(() -> new HealthProbe.Result(12, 3.4, 0));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\",\"db\":{\"ok\":true,\"latencyMs\":3},"
                + "\"progressBatchLagMs\":3,\"offlineQueue\":{\"backlog\":12},"
                + "\"rollups\":{\"queueDepth\":7,\"oldestAgeSeconds\":0}}");
    }

    /** "ok" for the probe result at a threshold, "degraded" with exactly that reason just above it. */
    private JsonNode assertDegradedOnlyAbove(HealthProbe.Result atThreshold, HealthProbe.Result above, String reason)
            throws Exception {
        assertThat(body(check(() -> atThreshold)).get("status").asText()).isEqualTo("ok");
        JsonNode body = body(check(() -> above));
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        assertThat(body.get("reasons").toString()).isEqualTo("[\"" + reason + "\"]");
        return body;
    }

    @Test
    void isDegradedWithRollupLag_whenTheOldestWaitingEventIsOlderThanTheSetting() throws Exception {
        JsonNode body = assertDegradedOnlyAbove(new HealthProbe.Result(0, 2, 120), new HealthProbe.Result(0, 2, 121),
                "rollup_lag");
        assertThat(body.get("rollups").get("oldestAgeSeconds").asLong()).isEqualTo(121);
    }

    @Test
    void reportsANullQueueDepthAndAReason_butStillAnswers200_whenTheQueueIsUnreachable() throws Exception {
        rollupQueue = RollupQueueGauge.Reading::failed;

        HttpResponse response = check(() -> new HealthProbe.Result(0, 2, 5));

        assertThat(response.status()).isEqualTo(200);
        JsonNode body = body(response);
        assertThat(body.get("rollups").get("queueDepth").isNull()).isTrue();
        assertThat(body.get("rollups").get("oldestAgeSeconds").asLong()).isEqualTo(5);
        assertThat(body.get("reasons").toString()).isEqualTo("[\"rollup_queue_unreachable\"]");
    }

    @Test
    void reportsANullQueueDepthWithoutAReason_whenNoQueueIsConfigured() throws Exception {
        rollupQueue = RollupQueueGauge.notConfigured();

        JsonNode body = body(check(() -> new HealthProbe.Result(0, 2, 0)));

        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("rollups").get("queueDepth").isNull()).isTrue();
    }

    @Test
    void reportsTheStoreLatencyAverageAsLag_whenThisContainerServedBatches() throws Exception {
        storeLatency.record(42);
        assertThat(body(check(() -> new HealthProbe.Result(0, 3, 0))).get("progressBatchLagMs").asLong()).isEqualTo(42);
    }

    @Test
    void isDegraded_whenTheProbeIsSlowerThanTheSlo() throws Exception {
        JsonNode body = body(check(() -> new HealthProbe.Result(0, 650, 0)));
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        assertThat(body.get("reasons").toString()).isEqualTo("[\"db_slow\",\"progress_batch_lag\"]");
    }

    @Test
    void isDegraded_whenBatchLatencyAverageIsAboveTheSlo() throws Exception {
        storeLatency.record(900);
        HttpResponse response = check(() -> new HealthProbe.Result(0, 2, 0));
        assertThat(response.status()).isEqualTo(200);
        assertThat(body(response).get("reasons").toString()).isEqualTo("[\"progress_batch_lag\"]");
    }

    @Test
    void isDegraded_whenTheOfflineBacklogIsAboveTheThreshold() throws Exception {
        assertDegradedOnlyAbove(new HealthProbe.Result(1000, 2, 0), new HealthProbe.Result(1001, 2, 0),
                "offline_queue_backlog");
    }

    @Test
    void answers503WithRetryAfter_whenTheDatabaseIsUnreachable() throws Exception {
        HttpResponse response = check(() -> {
            throw new DependencyUnavailableException("postgresql", "SQLState 08001", null);
        });
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "4");
        JsonNode body = body(response);
        assertThat(body.get("status").asText()).isEqualTo("unavailable");
        assertThat(body.get("error").asText()).isEqualTo("service_unavailable");
        assertThat(body.get("db").get("ok").asBoolean()).isFalse();
        assertThat(body.get("rollups").get("queueDepth").asLong()).as("the queue still answers").isEqualTo(7);
        assertThat(body.get("rollups").get("oldestAgeSeconds").isNull()).isTrue();
        assertThat(response.body()).doesNotContain("08001");
    }
}
