package dev.huddle.perf.bench;

import java.time.Instant;

/** One progress event as the ingest Lambda hands it to the database, plus the org it resolves to. */
record BenchEvent(
        String eventId,
        String userId,
        String orgId,
        String type,
        String courseId,
        String lessonId,
        int progressPercent,
        int timeSpentSeconds,
        Instant occurredAt) {
}
