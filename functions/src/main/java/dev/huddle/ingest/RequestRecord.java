package dev.huddle.ingest;

import java.util.OptionalInt;

/**
 * What one request did, for the log line and the metrics. Holds counts and timings only: never the body
 * or event contents (learner data is personal data).
 *
 * @param error   the error code of a 4xx/5xx, else null
 * @param cost    where the request's time went, as the handler measured it
 * @param failure for a 5xx, what failed (dependency name, exception type, SQLState), else null
 */
record RequestRecord(
        IngestRoute route,
        int status,
        String error,
        int accepted,
        int duplicates,
        int rejected,
        RequestCost cost,
        OptionalInt clientQueueDepth,
        String requestId,
        String failure) {
}
