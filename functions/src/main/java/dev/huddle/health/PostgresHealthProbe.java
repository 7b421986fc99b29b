package dev.huddle.health;

import dev.huddle.common.db.DatabaseConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Probes PostgreSQL for what the health answer needs: the sum of the latest offline-queue depth each
 * learner reported in the last 15 minutes, each counted up to a cap (its time is the reported DB latency: a query as cheap as a ping), and the rollup lag
 * ({@code huddle_api.rollup_lag()}, index probes whose cost follows orgs × partitions, not rows). The lag
 * is read at most every {@link #ROLLUP_LAG_MAX_AGE} per container, on the same connection right after the
 * timed query, so frequent health checks stay cheap and its cost never shows up as database latency. Its
 * own connection has a short statement and socket timeout ({@code HEALTH_DB_TIMEOUT_MS}), so a hung
 * database makes health answer 503 quickly.
 */
public final class PostgresHealthProbe implements HealthProbe {
    /**
     * One row per learner holds that learner's latest report; each counts at most {@code ?} events (see
     * {@link #perLearnerCap}), so a single learner, however deep its queue, cannot turn health degraded.
     */
    static final String BACKLOG_QUERY = "select coalesce(sum(least(depth, ?)), 0) from huddle.client_queue_reports"
            + " where reported_at > now() - interval '15 minutes'";
    /** It takes more than this many learners at their cap to pass HEALTH_BACKLOG_DEGRADED. */
    static final int LEARNERS_TO_DEGRADE = 10;
    static final String ROLLUP_LAG_QUERY = "select huddle_api.rollup_lag()";
    static final Duration ROLLUP_LAG_MAX_AGE = Duration.ofSeconds(5);

    private final DatabaseConnection database;
    private final long perLearnerCap;
    private long lagReadAtNanos;
    private long lagSeconds;
    private boolean lagRead;

    public PostgresHealthProbe(DatabaseConnection database, long backlogDegraded) {
        this.database = database;
        this.perLearnerCap = perLearnerCap(backlogDegraded);
    }

    /** A tenth of the degraded threshold (at least 1): ten learners at once are a pattern, one is not. */
    static long perLearnerCap(long backlogDegraded) {
        return Math.max(1, backlogDegraded / LEARNERS_TO_DEGRADE);
    }

    public static PostgresHealthProbe fromConfig(HealthConfig config) {
        Duration timeout = config.dbTimeout();
        Duration dbConnect = config.database().connectTimeout();
        Duration connectTimeout = dbConnect.compareTo(timeout) < 0 ? dbConnect : timeout;
        return new PostgresHealthProbe(DatabaseConnection.fromConfig(config.database(), config.aws(), connectTimeout,
                timeout, "huddle-health"), config.backlogDegraded());
    }

    @Override
    public synchronized Result probe() {
        long started = System.nanoTime();
        try {
            return database.execute(connection -> {
                long backlog = backlog(connection);
                double latencyMillis = (System.nanoTime() - started) / 1e6;
                if (!lagRead || System.nanoTime() - lagReadAtNanos > ROLLUP_LAG_MAX_AGE.toNanos()) {
                    lagSeconds = singleLong(connection, ROLLUP_LAG_QUERY);
                    lagReadAtNanos = System.nanoTime();
                    lagRead = true;
                }
                return new Result(backlog, latencyMillis, lagSeconds);
            });
        } catch (SQLException e) {
            // Reachable but the query failed (e.g. migrations missing): ingest cannot work either.
            throw new IllegalStateException("health query failed with SQLState " + e.getSQLState(), e);
        }
    }

    private long backlog(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(BACKLOG_QUERY)) {
            statement.setLong(1, perLearnerCap);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long singleLong(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
