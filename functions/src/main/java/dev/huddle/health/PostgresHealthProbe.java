package dev.huddle.health;

import dev.huddle.common.Config;
import dev.huddle.common.db.DatabaseConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Probes PostgreSQL with the one query the health answer needs: the sum of offline-queue depths clients
 * reported in the last 15 minutes, and the rollup lag ({@code huddle_api.rollup_lag()}, index probes
 * whose cost does not grow with the event tables). Its own connection has a short statement and socket timeout
 * ({@code HEALTH_DB_TIMEOUT_MS}), so a hung database makes health answer 503 quickly.
 */
public final class PostgresHealthProbe implements HealthProbe {
    static final String HEALTH_QUERY = "select (select coalesce(sum(depth), 0) from huddle.client_queue_reports"
            + " where reported_at > now() - interval '15 minutes') as backlog,"
            + " huddle_api.rollup_lag() as rollup_lag_seconds";

    private final DatabaseConnection database;

    public PostgresHealthProbe(DatabaseConnection database) {
        this.database = database;
    }

    public static PostgresHealthProbe fromConfig(Config config) {
        Duration timeout = config.healthDbTimeout();
        Duration connectTimeout = config.dbConnectTimeout().compareTo(timeout) < 0 ? config.dbConnectTimeout() : timeout;
        return new PostgresHealthProbe(DatabaseConnection.fromConfig(config, connectTimeout, timeout,
                "huddle-health"));
    }

    @Override
    public Result probe() {
        long started = System.nanoTime();
        try {
            return database.execute(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(HEALTH_QUERY);
                     ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return new Result(rows.getLong("backlog"), (System.nanoTime() - started) / 1e6,
                            rows.getLong("rollup_lag_seconds"));
                }
            });
        } catch (SQLException e) {
            // Reachable but the query failed (e.g. migrations missing): ingest cannot work either.
            throw new IllegalStateException("health query failed with SQLState " + e.getSQLState(), e);
        }
    }
}
