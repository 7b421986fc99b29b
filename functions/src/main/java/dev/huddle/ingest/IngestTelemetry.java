package dev.huddle.ingest;

import dev.huddle.common.observability.EmfDocument;
import dev.huddle.common.observability.LogSink;
import java.time.Clock;

/**
 * Writes one line per request: a structured JSON log event that is also a CloudWatch EMF document
 * (namespace Huddle/Ingest, dimension Route), so logs and metrics never disagree and cost one line.
 *
 * <p>The request's own cost ({@link RequestCost}) goes in as properties, not metrics: {@code handlerMicros},
 * {@code handlerCpuMicros}, {@code rateLimitMicros}, {@code parseMicros}, {@code validateMicros},
 * {@code dbMicros}, {@code fanOutMicros}, {@code respondMicros} ({@link CostFigure}), each only when its
 * phase ran. Logs Insights
 * computes their percentiles ({@code stats pct(handlerCpuMicros, 50) by Route}); as metrics they would be 32
 * more custom metrics (8 per route) billed every month for figures read while tuning.
 */
final class IngestTelemetry {
    static final String NAMESPACE = "Huddle/Ingest";

    private final LogSink sink;
    private final Clock clock;

    IngestTelemetry(LogSink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void record(RequestRecord r) {
        EmfDocument line = new EmfDocument(NAMESPACE, clock.instant())
                .property("level", r.status() >= 500 ? "ERROR" : "INFO")
                .property("message", "ingest request")
                .dimension("Route", r.route().routeKey())
                .property("status", r.status())
                .property("accepted", r.accepted())
                .property("duplicates", r.duplicates())
                .property("rejected", r.rejected())
                .property("durationMs", r.cost().totalMillis())
                .metric("BatchLatency", r.cost().totalMillis(), "Milliseconds")
                .metric("EventsAccepted", r.accepted(), "Count")
                .metric("EventsDuplicate", r.duplicates(), "Count")
                .metric("EventsRejected", r.rejected(), "Count")
                .metric("Status2xx", r.status() / 100 == 2 ? 1 : 0, "Count")
                .metric("Status4xx", r.status() / 100 == 4 ? 1 : 0, "Count")
                .metric("Status5xx", r.status() / 100 == 5 ? 1 : 0, "Count");
        if (r.requestId() != null) {
            line.property("requestId", r.requestId());
        }
        if (r.error() != null) {
            line.property("error", r.error());
        }
        if (r.failure() != null) {
            line.property("failure", r.failure());
        }
        RequestCost cost = r.cost();
        if (cost.dbMicros() != RequestCost.NOT_RUN) {
            long dbMs = Math.round(cost.dbMicros() / 1_000.0);
            line.property("dbMs", dbMs).metric("DbLatency", dbMs, "Milliseconds");
        }
        for (CostFigure figure : CostFigure.ALL) {
            long micros = cost.micros(figure);
            if (micros != RequestCost.NOT_RUN) {
                line.property(figure.logName, micros);
            }
        }
        r.clientQueueDepth().ifPresent(depth ->
                line.property("clientQueueDepth", depth).metric("ClientQueueDepth", depth, "Count"));
        sink.write(line.toJson());
    }
}
