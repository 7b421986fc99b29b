package dev.huddle.sql.support;

import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.RollupJobResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Runs rollup jobs the way the worker does, and compares the rollups with the raw tables. */
public final class Rollups {
    private Rollups() {
    }

    /** One job in its own transaction (the worker's unit of work). */
    public static RollupJobResult runJob(DataSource db, String orgId, int maxEvents) throws SQLException {
        try (Connection c = db.getConnection()) {
            return HuddleApi.runRollupJob(c, orgId, maxEvents);
        }
    }

    /** Jobs until the org has no backlog; answers the number of events processed. */
    public static long runToCompletion(DataSource db, String orgId, int maxEvents) throws SQLException {
        try (Connection c = db.getConnection()) {
            return HuddleApi.runRollupJobsToCompletion(c, orgId, maxEvents);
        }
    }

    /** The raw-table figures per org and day, by definition (no rollup table involved). */
    private static final String EXPECTED_DAILY = """
            WITH events AS (
                SELECT org_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, user_id, time_spent_seconds AS t
                  FROM huddle.progress_events
                UNION ALL
                SELECT org_id, (occurred_at AT TIME ZONE 'UTC')::date, user_id, 0 FROM huddle.analytics_events
            ), lessons AS (
                SELECT org_id, day, count(*) AS n
                  FROM (SELECT org_id, user_id, lesson_id, (min(occurred_at) AT TIME ZONE 'UTC')::date AS day
                          FROM huddle.progress_events WHERE type = 'lesson_completed'
                         GROUP BY org_id, user_id, lesson_id) first_completions
                 GROUP BY org_id, day
            ), courses AS (
                SELECT org_id, (completed_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
                  FROM huddle.user_course_progress WHERE completed_at IS NOT NULL
                 GROUP BY 1, 2
            )
            SELECT e.org_id, e.day, count(DISTINCT e.user_id) AS active_learners,
                   coalesce(l.n, 0) AS lessons_completed, coalesce(c.n, 0) AS courses_completed,
                   sum(e.t) AS time_spent_seconds, count(*) AS events_total
              FROM events e
              LEFT JOIN lessons l ON l.org_id = e.org_id AND l.day = e.day
              LEFT JOIN courses c ON c.org_id = e.org_id AND c.day = e.day
             GROUP BY e.org_id, e.day, l.n, c.n
            """;
    private static final String ACTUAL_DAILY = """
            SELECT org_id, day, active_learners::bigint, lessons_completed::bigint, courses_completed::bigint,
                   time_spent_seconds, events_total
              FROM huddle.org_daily_rollups
            """;
    private static final String EXPECTED_COUNTS = """
            SELECT org_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, 'progress' AS source, type AS name, count(*)
              FROM huddle.progress_events GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT org_id, (occurred_at AT TIME ZONE 'UTC')::date, 'analytics', name, count(*)
              FROM huddle.analytics_events GROUP BY 1, 2, 3, 4
            """;
    private static final String ACTUAL_COUNTS =
            "SELECT org_id, day, source, name, count FROM huddle.org_daily_event_counts";

    /** Every rollup row that differs from the raw tables, from either side; empty when they agree. */
    public static List<String> mismatches(DataSource db) throws SQLException {
        List<String> daily = Db.rows(db, symmetricDifference(EXPECTED_DAILY, ACTUAL_DAILY));
        List<String> counts = Db.rows(db, symmetricDifference(EXPECTED_COUNTS, ACTUAL_COUNTS));
        return java.util.stream.Stream.concat(daily.stream(), counts.stream()).toList();
    }

    private static String symmetricDifference(String expected, String actual) {
        return "SELECT 'raw' AS side, * FROM ((" + expected + ") EXCEPT (" + actual + ")) missing"
                + " UNION ALL SELECT 'rollup', * FROM ((" + actual + ") EXCEPT (" + expected + ")) extra";
    }

    public static long eventsTotal(DataSource db) throws SQLException {
        return Long.parseLong(Db.value(db, "SELECT coalesce(sum(events_total), 0) FROM huddle.org_daily_rollups"));
    }
}
