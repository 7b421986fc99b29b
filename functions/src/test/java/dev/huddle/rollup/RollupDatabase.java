package dev.huddle.rollup;

import dev.huddle.sql.DatabaseRole;
import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.ingest.IngestDatabase;
import dev.huddle.ingest.PostgresEventStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** A migrated, seeded database with the production store and worker on it, and the raw-table check. */
final class RollupDatabase {
    final IngestDatabase database = IngestDatabase.create();

    PostgresEventStore store() {
        return store(RollupJobQueue.fanOutBuckets(Clock.systemUTC()));
    }

    /** An ingest container's store, with its own connection, claiming the fan-out buckets {@code buckets} gives. */
    PostgresEventStore store(LongSupplier buckets) {
        return new PostgresEventStore(new DatabaseConnection(database.factory(Duration.ofSeconds(5), "test-ingest", null)),
                HuddleApi.DEFAULT_MAX_EVENT_NAMES, buckets);
    }

    PostgresRollupWorker worker(int maxEvents) {
        return new PostgresRollupWorker(new DatabaseConnection(database.factory(DatabaseRole.ROLLUP_WORKER, Duration.ofSeconds(30), "test-rollup", null)),
                maxEvents);
    }

    /** The sweep function's side: the same class, logged in as the sweep's role (it only lists pending orgs). */
    PostgresRollupWorker sweep() {
        return new PostgresRollupWorker(new DatabaseConnection(database.factory(DatabaseRole.ROLLUP_SWEEP,
                Duration.ofSeconds(10), "test-sweep", null)), 1);
    }

    /** Per org and day: events, learners and time spent, in the rollups and counted from the raw tables. */
    private static final String EXPECTED = """
            SELECT org_id, (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS events,
                   count(DISTINCT user_id) AS learners, sum(t) AS time_spent
              FROM (SELECT org_id, occurred_at, user_id, time_spent_seconds AS t FROM huddle.progress_events
                    UNION ALL SELECT org_id, occurred_at, user_id, 0 FROM huddle.analytics_events) e
             GROUP BY 1, 2""";
    private static final String ACTUAL = """
            SELECT org_id, day, events_total, active_learners::bigint, time_spent_seconds FROM huddle.org_daily_rollups""";

    /** Rows that differ between rollups and raw tables (either side); empty when they agree. */
    List<String> mismatches() throws SQLException {
        return rows("(" + EXPECTED + " EXCEPT " + ACTUAL + ") UNION ALL (" + ACTUAL + " EXCEPT " + EXPECTED + ")");
    }

    long rolledUpEvents(String orgId) throws SQLException {
        List<String> value = rows("SELECT coalesce(sum(events_total), 0) FROM huddle.org_daily_rollups WHERE org_id = '"
                + orgId + "'");
        return Long.parseLong(value.getFirst());
    }

    long rawEvents(String orgId) throws SQLException {
        return Long.parseLong(rows("SELECT (SELECT count(*) FROM huddle.progress_events WHERE org_id = '" + orgId
                + "') + (SELECT count(*) FROM huddle.analytics_events WHERE org_id = '" + orgId + "')").getFirst());
    }

    private List<String> rows(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }
}
