package dev.huddle.health;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import java.util.OptionalDouble;

/**
 * Answers {@code GET /api/health}.
 *
 * <ul>
 *   <li>{@code 200 "ok"}: the probe answered, within the DB latency SLO, and the backlog is small.</li>
 *   <li>{@code 200 "degraded"}: the probe latency or {@code progressBatchLagMs} is above the SLO
 *       ({@code DB_LATENCY_SLO_MS}), the offline-queue backlog is above {@code HEALTH_BACKLOG_DEGRADED},
 *       the oldest event not yet rolled up has waited longer than {@code ROLLUP_LAG_DEGRADED_SECONDS}
 *       ({@code rollup_lag}), or the rollup job queue did not answer ({@code rollup_queue_unreachable});
 *       {@code reasons} says which.</li>
 *   <li>{@code 503} with Retry-After: the database did not answer within {@code HEALTH_DB_TIMEOUT_MS}.</li>
 * </ul>
 * {@code progressBatchLagMs} is this container's EWMA of event-store call latency when it has served
 * batches (same JVM, e.g. the local stack); otherwise, as in a separate health Lambda, the probe's own
 * latency, the best estimate of what a batch call would cost right now. {@code rollups.queueDepth} is
 * null when no queue is configured or the queue did not answer; the queue never decides a 503, the
 * database does.
 */
public final class HealthService {
    private final HealthProbe probe;
    private final RollupQueueGauge rollupQueue;
    private final LatencyEwma storeLatency;
    private final double sloMillis;
    private final long backlogDegraded;
    private final long rollupLagDegradedSeconds;
    private final int retryAfterSeconds;

    /** Without a rollup queue (no ROLLUP_QUEUE_URL). */
    public HealthService(HealthProbe probe, LatencyEwma storeLatency, HealthConfig config) {
        this(probe, RollupQueueGauge.notConfigured(), storeLatency, config);
    }

    public HealthService(HealthProbe probe, RollupQueueGauge rollupQueue, LatencyEwma storeLatency, HealthConfig config) {
        this.probe = probe;
        this.rollupQueue = rollupQueue;
        this.storeLatency = storeLatency;
        this.sloMillis = config.database().latencySlo().toMillis();
        this.backlogDegraded = config.backlogDegraded();
        this.rollupLagDegradedSeconds = config.rollupLagDegraded().toSeconds();
        this.retryAfterSeconds = config.retryAfterSeconds();
    }

    public HttpResponse check() {
        HealthProbe.Result result;
        try {
            result = probe.probe();
        } catch (RuntimeException e) {
            return unavailable(rollupQueue.read());
        }
        RollupQueueGauge.Reading queue = rollupQueue.read();
        OptionalDouble ewma = storeLatency.averageMillis();
        double lagMillis = ewma.isPresent() ? ewma.getAsDouble() : result.latencyMillis();

        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode reasons = Json.mapper().createArrayNode();
        if (result.latencyMillis() > sloMillis) {
            reasons.add("db_slow");
        }
        if (lagMillis > sloMillis) {
            reasons.add("progress_batch_lag");
        }
        if (result.offlineQueueBacklog() > backlogDegraded) {
            reasons.add("offline_queue_backlog");
        }
        if (result.rollupLagSeconds() > rollupLagDegradedSeconds) {
            reasons.add("rollup_lag");
        }
        if (queue.unreachable()) {
            reasons.add("rollup_queue_unreachable");
        }
        body.put("status", reasons.isEmpty() ? "ok" : "degraded");
        body.putObject("db").put("ok", true).put("latencyMs", Math.round(result.latencyMillis()));
        body.put("progressBatchLagMs", Math.round(lagMillis));
        body.putObject("offlineQueue").put("backlog", result.offlineQueueBacklog());
        rollups(body, queue).put("oldestAgeSeconds", result.rollupLagSeconds());
        if (!reasons.isEmpty()) {
            body.set("reasons", reasons);
        }
        return HttpResponse.json(200, body).withHeader("Cache-Control", "no-store");
    }

    /** The health shape plus the contract's error fields, so both monitors and clients can read it. */
    private HttpResponse unavailable(RollupQueueGauge.Reading queue) {
        ObjectNode body = Json.mapper().createObjectNode()
                .put("status", "unavailable")
                .put("error", "service_unavailable")
                .put("message", "The database is unreachable");
        body.putObject("db").put("ok", false).putNull("latencyMs");
        OptionalDouble ewma = storeLatency.averageMillis();
        if (ewma.isPresent()) {
            body.put("progressBatchLagMs", Math.round(ewma.getAsDouble()));
        } else {
            body.putNull("progressBatchLagMs");
        }
        body.putObject("offlineQueue").putNull("backlog");
        rollups(body, queue).putNull("oldestAgeSeconds");
        return HttpResponse.json(503, body)
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds))
                .withHeader("Cache-Control", "no-store");
    }

    /** The {@code rollups} object with its queueDepth (null when unknown); the caller adds the lag. */
    private static ObjectNode rollups(ObjectNode body, RollupQueueGauge.Reading queue) {
        ObjectNode rollups = body.putObject("rollups");
        if (queue.depth().isPresent()) {
            rollups.put("queueDepth", queue.depth().getAsLong());
        } else {
            rollups.putNull("queueDepth");
        }
        return rollups;
    }
}
