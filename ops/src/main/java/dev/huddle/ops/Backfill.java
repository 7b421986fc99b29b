package dev.huddle.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.dbapi.AnalyticsInput;
import dev.huddle.dbapi.EventStatus;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProgressInput;
import dev.huddle.sql.DemoData;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Writes back-dated synthetic events for the demo learners straight into the database, day by day,
 * through the same function the ingest Lambda calls (ingest_request, without quota and fan-out claim) in
 * batches of 100 events of one learner. Slower than COPY (about 20k events/s against 100k+), but the
 * progress tables, the idempotency keys and every column the rollups read come out exactly as real
 * ingestion leaves them. Partitions of the days are created first. Four events in five are progress
 * events, one an analytics event. Event ids derive from the day and a counter, so rerunning a backfill
 * with the same arguments stores nothing twice (the procedures answer "duplicate"). Days that retention
 * already retired (listed in huddle.dropped_partitions) are skipped: their snapshot is final, and rows
 * written there again could never be retired without overwriting it.
 */
public final class Backfill {
    static final int BATCH_SIZE = 100;
    private static final JsonNode PROPERTIES = Json.mapper().createObjectNode().put("source", "backfill");

    private final Supplier<Connection> connections;
    private final PrintStream progress;

    public Backfill(Supplier<Connection> connections, PrintStream progress) {
        this.connections = connections;
        this.progress = progress;
    }

    /** Result counts: events sent and how the procedures answered. */
    public record Totals(long sent, long accepted, long duplicate, long rejected, List<LocalDate> retiredDaysSkipped) {
    }

    /** Backfills {@code days} full days before today (UTC), {@code eventsPerDay} events each. */
    public Totals run(int days, int eventsPerDay) throws SQLException {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        long[] counts = new long[4];
        long started = System.nanoTime();
        try (Connection connection = connections.get()) {
            Set<LocalDate> retired = retiredDays(connection, today.minusDays(days), today.minusDays(1));
            List<LocalDate> skipped = new ArrayList<>();
            for (int d = days; d >= 1; d--) {
                LocalDate day = today.minusDays(d);
                if (retired.contains(day)) {
                    skipped.add(day);
                    progress.printf("  %s: skipped, already retired to S3 by retention%n", day);
                    continue;
                }
                ensurePartitions(connection, day, day);
                backfillDay(connection, day, eventsPerDay, counts);
                double seconds = (System.nanoTime() - started) / 1e9;
                progress.printf("  %s: %,d events (%d/%d days, %,.0f events/s overall)%n", day, eventsPerDay,
                        days - d + 1, days, counts[0] / seconds);
            }
            return new Totals(counts[0], counts[1], counts[2], counts[3], List.copyOf(skipped));
        }
    }

    private static Set<LocalDate> retiredDays(Connection connection, LocalDate from, LocalDate to) throws SQLException {
        Set<LocalDate> days = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT day FROM huddle.dropped_partitions WHERE day BETWEEN ? AND ?")) {
            statement.setObject(1, from);
            statement.setObject(2, to);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    days.add(rows.getObject(1, LocalDate.class));
                }
            }
        }
        return days;
    }

    private void backfillDay(Connection connection, LocalDate day, int eventsPerDay, long[] counts) throws SQLException {
        SplittableRandom random = new SplittableRandom(day.toEpochDay());
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        for (int sent = 0; sent < eventsPerDay; sent += BATCH_SIZE) {
            int size = Math.min(BATCH_SIZE, eventsPerDay - sent);
            DemoData.Learner learner = DemoData.learner(1 + random.nextInt(DemoData.LEARNERS));
            boolean analytics = (sent / BATCH_SIZE) % 5 == 4;
            List<ProgressInput> progressEvents = new ArrayList<>(size);
            List<AnalyticsInput> analyticsEvents = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String eventId = "backfill-" + day + "-" + (sent + i);
                Instant occurredAt = dayStart.plusMillis(random.nextLong(86_400_000L));
                if (analytics) {
                    analyticsEvents.add(analyticsEvent(eventId, occurredAt, random));
                } else {
                    progressEvents.add(progressEvent(eventId, learner, occurredAt, random));
                }
            }
            List<EventStatus> statuses = analytics
                    ? HuddleApi.ingestAnalyticsBatch(connection, learner.userId(), analyticsEvents, null,
                            HuddleApi.DEFAULT_MAX_EVENT_NAMES)
                    : HuddleApi.upsertProgressBatch(connection, learner.userId(), progressEvents, null);
            for (EventStatus status : statuses) {
                counts[0]++;
                switch (status.status()) {
                    case ACCEPTED -> counts[1]++;
                    case DUPLICATE -> counts[2]++;
                    case REJECTED -> counts[3]++;
                }
            }
        }
    }

    private static ProgressInput progressEvent(String eventId, DemoData.Learner learner, Instant occurredAt,
                                               SplittableRandom random) {
        String course = learner.courseId(random.nextInt(DemoData.COURSES_PER_ORG));
        int percent = random.nextInt(101);
        return new ProgressInput(eventId, percent == 100 ? "lesson_completed" : "lesson_progress", course,
                DemoData.lessonId(course, random.nextInt(DemoData.LESSONS_PER_COURSE)), BigDecimal.valueOf(percent),
                random.nextInt(600), occurredAt);
    }

    private static AnalyticsInput analyticsEvent(String eventId, Instant occurredAt, SplittableRandom random) {
        return new AnalyticsInput(eventId, random.nextBoolean() ? "video_played" : "quiz_opened", null, null,
                PROPERTIES, occurredAt);
    }

    private static void ensurePartitions(Connection connection, LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT huddle.ensure_event_partitions(?, ?)")) {
            statement.setObject(1, from);
            statement.setObject(2, to);
            statement.execute();
        }
    }
}
