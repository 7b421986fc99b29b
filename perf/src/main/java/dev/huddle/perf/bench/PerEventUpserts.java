package dev.huddle.perf.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.function.Supplier;

/**
 * (a) The old way: one round trip per event, autocommit. A fair per-event version of what the batch
 * procedure does, in ONE prepared statement: insert the event (ON CONFLICT DO NOTHING), merge it into
 * the lesson row by the same rules, and recompute the course row from the other lessons plus the
 * merged one (a statement cannot see its own CTE's writes, hence the UNION ALL).
 */
final class PerEventUpserts implements BenchMethod {
    private static final String UPSERT_ONE_EVENT = """
            WITH event AS (
                INSERT INTO huddle.progress_events AS pe
                       (event_id, user_id, org_id, course_id, lesson_id, type, progress_percent,
                        time_spent_seconds, occurred_at)
                SELECT ?, a.user_id, a.org_id, a.course_id, l.lesson_id, ?, ?, ?, ?
                  FROM huddle.assignments a
                  JOIN huddle.lessons l ON l.course_id = a.course_id AND l.lesson_id = ?
                 WHERE a.user_id = ? AND a.course_id = ?
                ON CONFLICT (user_id, event_id, occurred_at) DO NOTHING
                RETURNING pe.*
            ), lesson AS (
                INSERT INTO huddle.user_lesson_progress AS p
                       (user_id, lesson_id, course_id, org_id, progress_percent, completed, completed_at,
                        time_spent_seconds, last_activity_at, updated_at)
                SELECT e.user_id, e.lesson_id, e.course_id, e.org_id, e.progress_percent,
                       e.type = 'lesson_completed',
                       CASE WHEN e.type = 'lesson_completed' THEN e.occurred_at END,
                       e.time_spent_seconds, e.occurred_at, now()
                  FROM event e
                ON CONFLICT (user_id, lesson_id) DO UPDATE SET
                       progress_percent   = greatest(p.progress_percent, excluded.progress_percent),
                       completed          = p.completed OR excluded.completed,
                       completed_at       = least(p.completed_at, excluded.completed_at),
                       time_spent_seconds = p.time_spent_seconds + excluded.time_spent_seconds,
                       last_activity_at   = greatest(p.last_activity_at, excluded.last_activity_at),
                       updated_at         = excluded.updated_at
                RETURNING p.user_id, p.course_id, p.org_id, p.lesson_id, p.completed, p.completed_at,
                          p.last_activity_at
            ), course_lessons AS (
                SELECT completed, completed_at, last_activity_at FROM lesson
                UNION ALL
                SELECT u.completed, u.completed_at, u.last_activity_at
                  FROM huddle.user_lesson_progress u, lesson
                 WHERE u.user_id = lesson.user_id AND u.course_id = lesson.course_id
                   AND u.lesson_id <> lesson.lesson_id
            )
            INSERT INTO huddle.user_course_progress AS ucp
                   (user_id, course_id, org_id, completed_lessons, total_lessons, progress_percent,
                    completed_at, last_activity_at, updated_at)
            SELECT lesson.user_id, lesson.course_id, lesson.org_id, agg.done, t.total,
                   round(100.0 * agg.done / t.total, 2),
                   CASE WHEN agg.done = t.total THEN agg.last_completed_at END,
                   agg.last_activity_at, now()
              FROM lesson,
                   (SELECT count(*) FILTER (WHERE completed)::integer AS done,
                           max(completed_at) AS last_completed_at,
                           max(last_activity_at) AS last_activity_at
                      FROM course_lessons) agg,
                   (SELECT count(*)::integer AS total FROM huddle.lessons l, lesson
                     WHERE l.course_id = lesson.course_id) t
            ON CONFLICT (user_id, course_id) DO UPDATE SET
                   completed_lessons = excluded.completed_lessons,
                   total_lessons     = excluded.total_lessons,
                   progress_percent  = excluded.progress_percent,
                   completed_at      = excluded.completed_at,
                   last_activity_at  = excluded.last_activity_at,
                   updated_at        = excluded.updated_at
            """;

    private final Supplier<Connection> connections;

    PerEventUpserts(Supplier<Connection> connections) {
        this.connections = connections;
    }

    @Override
    public String name() {
        return "(a) per-event upserts";
    }

    @Override
    public Run prepare(List<BenchBatch> batches) {
        // Nothing to build: each event's values are bound to the prepared statement as it is sent.
        return progress -> store(batches, progress);
    }

    private void store(List<BenchBatch> batches, Progress progress) throws SQLException {
        try (Connection connection = connections.get();
                PreparedStatement upsert = connection.prepareStatement(UPSERT_ONE_EVENT)) {
            connection.setAutoCommit(true);
            for (BenchBatch batch : batches) {
                for (BenchEvent event : batch.events()) {
                    upsert.setString(1, event.eventId());
                    upsert.setString(2, event.type());
                    upsert.setInt(3, event.progressPercent());
                    upsert.setInt(4, event.timeSpentSeconds());
                    upsert.setTimestamp(5, Timestamp.from(event.occurredAt()));
                    upsert.setString(6, event.lessonId());
                    upsert.setString(7, event.userId());
                    upsert.setString(8, event.courseId());
                    upsert.executeUpdate();
                }
                progress.stored(batch.events().size());
            }
        }
    }
}
