package dev.huddle.perf.rollupbench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes synthetic events straight into the event tables with set-based SQL (generate_series), fast
 * enough for millions of rows: per org 500 learners, 5 courses of 10 lessons, events spread over the
 * last 20 days, one in five a lesson completion, one in four an analytics event. The per-learner
 * progress tables are then derived from the events, so a rollup job's completion lookups find rows
 * as they would in production. No catalogue rows are needed beyond the org itself.
 */
final class SyntheticEvents {
    private SyntheticEvents() {
    }

    static void createOrg(Connection c, String orgId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "INSERT INTO huddle.orgs (org_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            st.setString(1, orgId);
            st.setString(2, "Benchmark " + orgId);
            st.executeUpdate();
        }
    }

    /** Inserts {@code count} events (3/4 progress, 1/4 analytics) for the org, ids prefixed by tag. */
    static void insert(Connection c, String orgId, String tag, int count) throws SQLException {
        int analytics = count / 4;
        int progress = count - analytics;
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO huddle.progress_events (event_id, user_id, org_id, course_id, lesson_id, type,
                                                    progress_percent, time_spent_seconds, occurred_at)
                SELECT ? || '-p' || g, ? || '-u' || (g % 500), ?, ? || '-c' || (g % 5),
                       ? || '-c' || (g % 5) || '-l' || (g % 10),
                       CASE WHEN g % 5 = 0 THEN 'lesson_completed' ELSE 'lesson_progress' END,
                       CASE WHEN g % 5 = 0 THEN 100 ELSE g % 100 END, g % 120,
                       now() - make_interval(days => g % 20, secs => g % 80000)
                  FROM generate_series(1, ?) AS g""")) {
            st.setString(1, tag);
            st.setString(2, orgId);
            st.setString(3, orgId);
            st.setString(4, orgId);
            st.setString(5, orgId);
            st.setInt(6, progress);
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO huddle.analytics_events (event_id, user_id, org_id, name, occurred_at)
                SELECT ? || '-a' || g, ? || '-u' || (g % 500), ?, (ARRAY['app_opened', 'video_played', 'quiz_started'])[1 + g % 3],
                       now() - make_interval(days => g % 20, secs => g % 80000)
                  FROM generate_series(1, ?) AS g""")) {
            st.setString(1, tag);
            st.setString(2, orgId);
            st.setString(3, orgId);
            st.setInt(4, analytics);
            st.executeUpdate();
        }
    }

    /** Derives user_lesson_progress and user_course_progress of the org from its events (idempotent). */
    static void deriveProgress(Connection c, String orgId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO huddle.user_lesson_progress AS p (user_id, lesson_id, course_id, org_id, progress_percent,
                       completed, completed_at, time_spent_seconds, last_activity_at)
                SELECT user_id, lesson_id, min(course_id), org_id, max(progress_percent),
                       bool_or(type = 'lesson_completed'),
                       min(occurred_at) FILTER (WHERE type = 'lesson_completed'), sum(time_spent_seconds), max(occurred_at)
                  FROM huddle.progress_events WHERE org_id = ?
                 GROUP BY user_id, lesson_id, org_id
                ON CONFLICT (user_id, lesson_id) DO UPDATE SET completed = excluded.completed,
                       completed_at = excluded.completed_at, progress_percent = excluded.progress_percent""")) {
            st.setString(1, orgId);
            st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO huddle.user_course_progress AS p (user_id, course_id, org_id, completed_lessons, total_lessons,
                       progress_percent, completed_at, last_activity_at)
                SELECT user_id, course_id, org_id, count(*) FILTER (WHERE completed), 10,
                       10.0 * count(*) FILTER (WHERE completed),
                       CASE WHEN count(*) FILTER (WHERE completed) = 10 THEN max(completed_at) END, max(last_activity_at)
                  FROM huddle.user_lesson_progress WHERE org_id = ?
                 GROUP BY user_id, course_id, org_id
                ON CONFLICT (user_id, course_id) DO UPDATE SET completed_lessons = excluded.completed_lessons,
                       progress_percent = excluded.progress_percent, completed_at = excluded.completed_at""")) {
            st.setString(1, orgId);
            st.executeUpdate();
        }
    }

    /** Moves the org's cursors past every event: "already rolled up", without rolling up. */
    static void markRolledUp(Connection c, String orgId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO huddle.rollup_cursors (org_id, source, last_xid, last_seq)
                SELECT ?, 'progress', coalesce(max(ingest_xid), '0'::xid8),
                       coalesce(max(seq) FILTER (WHERE ingest_xid = (SELECT max(ingest_xid) FROM huddle.progress_events WHERE org_id = ?)), 0)
                  FROM huddle.progress_events WHERE org_id = ?
                UNION ALL
                SELECT ?, 'analytics', coalesce(max(ingest_xid), '0'::xid8),
                       coalesce(max(seq) FILTER (WHERE ingest_xid = (SELECT max(ingest_xid) FROM huddle.analytics_events WHERE org_id = ?)), 0)
                  FROM huddle.analytics_events WHERE org_id = ?
                ON CONFLICT (org_id, source) DO UPDATE SET last_xid = excluded.last_xid, last_seq = excluded.last_seq""")) {
            for (int i = 1; i <= 6; i++) {
                st.setString(i, orgId);
            }
            st.executeUpdate();
        }
    }

    static void analyze(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE huddle.progress_events, huddle.analytics_events, huddle.user_lesson_progress,"
                    + " huddle.user_course_progress");
        }
    }
}
