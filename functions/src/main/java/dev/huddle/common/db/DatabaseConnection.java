package dev.huddle.common.db;

import dev.huddle.common.AwsConfig;
import dev.huddle.common.DatabaseConfig;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.FailureText;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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
 * <p>{@code execute} holds a lock so the local stack, which may serve requests on several threads in one
 * JVM, never shares the connection between two statements. Waiting for it is bounded: a call that cannot
 * have the connection within its wait (by default the connect timeout: no longer than opening a new one
 * may take) gets {@link DependencyUnavailableException}, a fast 503, instead of queueing behind a slow
 * statement. Opening is bounded by the connect timeout, and a server out of connections (53300) is a 503
 * too, so no call waits unboundedly for a connection.
 *
 * <p>SnapStart: the connection is closed before the snapshot (a socket restored from a snapshot is
 * dead, and a snapshot may be restored many times); the first call after restore opens a new one.
 */
public final class DatabaseConnection implements AutoCloseable, Resource {
    public static final String DEPENDENCY = "postgresql";
    /** A connection unused for this long may have been cut by an idle timeout somewhere on the path. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(5);

    /** How long a call may wait for the connection another thread is using. */
    public static final Duration DEFAULT_CONNECTION_WAIT = Duration.ofSeconds(2);

    private final ConnectionFactory factory;
    private final long staleAfterNanos;
    private final long connectionWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;
    private long lastUsedNanos;

    public DatabaseConnection(ConnectionFactory factory) {
        this(factory, DEFAULT_STALE_AFTER);
    }

    public DatabaseConnection(ConnectionFactory factory, Duration staleAfter) {
        this(factory, staleAfter, DEFAULT_CONNECTION_WAIT);
    }

    public DatabaseConnection(ConnectionFactory factory, Duration staleAfter, Duration connectionWait) {
        this.factory = factory;
        this.staleAfterNanos = staleAfter.toNanos();
        this.connectionWaitNanos = connectionWait.toNanos();
    }

    /**
     * The production connection for a configuration (credentials from the secret or the settings),
     * registered for the SnapStart hooks. CRaC holds resources weakly: the caller keeps it referenced.
     */
    public static DatabaseConnection fromConfig(DatabaseConfig config, AwsConfig aws, Duration connectTimeout,
                                                Duration statementTimeout, String applicationName) {
        DatabaseConnection connection = new DatabaseConnection(
                ConnectionFactory.fromConfig(config, aws, connectTimeout, statementTimeout, applicationName),
                DEFAULT_STALE_AFTER, connectTimeout);
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
     * @throws DependencyUnavailableException the database is down, slow or overloaded, or the connection
     *     stayed busy with another call for longer than the connection wait
     * @throws SQLException any other database error (a bug); the connection is kept
     */
    public <T> T execute(SqlCall<T> call) throws SQLException {
        acquire();
        try {
            return executeLocked(call);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the connection ahead of the first call and runs {@code warmUp} on it, so that a container's
     * first request finds the login done and the driver's statement path loaded. Best effort, for a cold
     * start: a failure (database down, slow, refusing) is returned, not thrown, and leaves no connection
     * behind, so the first call opens one as always. Bounded like a call: the connection wait, the
     * connect timeout, the statement timeout.
     *
     * @return empty when the connection is open and warm, else what failed
     */
    public Optional<String> warmUp(SqlCall<?> warmUp) {
        try {
            execute(warmUp);
            return Optional.empty();
        } catch (SQLException | RuntimeException e) {
            close();
            return Optional.of(FailureText.of(e));
        }
    }

    private void acquire() {
        try {
            if (lock.tryLock(connectionWaitNanos, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new DependencyUnavailableException(DEPENDENCY, "no free connection within "
                + TimeUnit.NANOSECONDS.toMillis(connectionWaitNanos) + " ms", null);
    }

    private <T> T executeLocked(SqlCall<T> call) throws SQLException {
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
    public boolean isOpen() {
        lock.lock();
        try {
            return connection != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            drop();
        } finally {
            lock.unlock();
        }
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
