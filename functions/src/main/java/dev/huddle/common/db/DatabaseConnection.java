package dev.huddle.common.db;

import dev.huddle.common.Config;
import dev.huddle.common.DependencyUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * The one database connection of a container: opened lazily on first use, then reused by every call.
 * No pool (Lambda runs one request at a time per container) and no validation query (a batch must be
 * exactly one round trip); instead a failed call tells us the connection is gone, and we drop it.
 *
 * <p>A connection that sat idle (the container was frozen between invocations) may have been dropped by
 * a proxy or NAT without us knowing. When a call on such a connection fails with a dead socket, it is
 * retried ONCE on a fresh connection. Calls given to {@link #execute} must therefore be idempotent.
 *
 * <p>{@code execute} is synchronized so the local stack, which may serve requests on several threads in
 * one JVM, never shares the connection between two statements.
 *
 * <p>SnapStart: the connection is closed before the snapshot (a socket restored from a snapshot is
 * dead, and a snapshot may be restored many times); the first call after restore opens a new one.
 */
public final class DatabaseConnection implements AutoCloseable, Resource {
    public static final String DEPENDENCY = "postgresql";
    /** A connection unused for this long may have been cut by an idle timeout somewhere on the path. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(5);

    private final ConnectionFactory factory;
    private final long staleAfterNanos;
    private Connection connection;
    private long lastUsedNanos;

    public DatabaseConnection(ConnectionFactory factory) {
        this(factory, DEFAULT_STALE_AFTER);
    }

    public DatabaseConnection(ConnectionFactory factory, Duration staleAfter) {
        this.factory = factory;
        this.staleAfterNanos = staleAfter.toNanos();
    }

    /**
     * The production connection for a configuration (credentials from the secret or the settings),
     * registered for the SnapStart hooks. CRaC holds resources weakly: the caller keeps it referenced.
     */
    public static DatabaseConnection fromConfig(Config config, Duration connectTimeout, Duration statementTimeout,
                                                String applicationName) {
        DatabaseConnection connection = new DatabaseConnection(
                ConnectionFactory.fromConfig(config, connectTimeout, statementTimeout, applicationName));
        Core.getGlobalContext().register(connection);
        return connection;
    }

    @FunctionalInterface
    public interface SqlCall<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs one idempotent call on the container's connection.
     *
     * @throws DependencyUnavailableException the database is down, slow or overloaded
     * @throws SQLException any other database error (a bug); the connection is kept
     */
    public synchronized <T> T execute(SqlCall<T> call) throws SQLException {
        boolean reused = connection != null;
        boolean idle = reused && System.nanoTime() - lastUsedNanos >= staleAfterNanos;
        Connection current = connection();
        try {
            return runAndMark(current, call);
        } catch (SQLException e) {
            if (!SqlFailures.isConnectionFailure(e)) {
                throw unavailableOr(e);
            }
            drop();
            if (idle && SqlFailures.isDeadSocket(e)) {
                return retryOnFreshConnection(call);
            }
            throw unavailableOr(e);
        }
    }

    private <T> T retryOnFreshConnection(SqlCall<T> call) throws SQLException {
        Connection fresh = connection();
        try {
            return runAndMark(fresh, call);
        } catch (SQLException e) {
            if (SqlFailures.isConnectionFailure(e)) {
                drop();
            }
            throw unavailableOr(e);
        }
    }

    private <T> T runAndMark(Connection c, SqlCall<T> call) throws SQLException {
        try {
            return call.run(c);
        } finally {
            lastUsedNanos = System.nanoTime();
        }
    }

    private Connection connection() {
        if (connection == null) {
            try {
                connection = factory.open();
                lastUsedNanos = System.nanoTime();
            } catch (SQLException e) {
                throw new DependencyUnavailableException(DEPENDENCY, "cannot connect (SQLState " + e.getSQLState() + ")", e);
            }
        }
        return connection;
    }

    /** Throws the 503 exception when the failure means "unavailable"; otherwise hands e back to be rethrown. */
    private static SQLException unavailableOr(SQLException e) {
        if (SqlFailures.isUnavailable(e)) {
            throw new DependencyUnavailableException(DEPENDENCY, "SQLState " + e.getSQLState(), e);
        }
        return e;
    }

    /** Closes and forgets the connection; the next call opens a new one. */
    private void drop() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Already broken; closing is best effort.
            }
        }
    }

    /** True while a connection is open (for tests and health). */
    public synchronized boolean isOpen() {
        return connection != null;
    }

    @Override
    public synchronized void close() {
        drop();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        close();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing: the next call opens a connection, as after any drop.
    }
}
