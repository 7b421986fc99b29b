package dev.huddle.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.common.DependencyUnavailableException;
import java.io.EOFException;
import java.lang.reflect.Proxy;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseConnectionTest {
    private final List<FakeConnection> opened = new ArrayList<>();
    private final ConnectionFactory factory = () -> {
        FakeConnection c = new FakeConnection(opened.size() + 1);
        opened.add(c);
        return c.proxy;
    };

    /** A connection that only knows whether it was closed; calls in these tests never touch it. */
    private static final class FakeConnection {
        final int number;
        boolean closed;
        final Connection proxy;

        FakeConnection(int number) {
            this.number = number;
            this.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (p, method, args) -> switch (method.getName()) {
                        case "close" -> {
                            closed = true;
                            yield null;
                        }
                        case "toString" -> "connection-" + number;
                        case "equals" -> p == args[0];
                        case "hashCode" -> number;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    private static SQLException failure(String state, Throwable cause) {
        return new SQLException("boom", state, cause);
    }

    @Test
    void opensLazily_andReusesTheConnection() throws SQLException {
        DatabaseConnection db = new DatabaseConnection(factory);
        assertThat(opened).isEmpty();
        db.execute(c -> c);
        db.execute(c -> c);
        assertThat(opened).hasSize(1);
        assertThat(db.isOpen()).isTrue();
    }

    @Test
    void keepsTheConnection_andRethrows_whenTheErrorIsABug() throws SQLException {
        DatabaseConnection db = new DatabaseConnection(factory);
        assertThatThrownBy(() -> db.execute(c -> {
            throw failure("42883", null);
        })).isInstanceOf(SQLException.class);
        db.execute(c -> c);
        assertThat(opened).hasSize(1);
        assertThat(opened.getFirst().closed).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"57014", "53300", "53200", "40001", "40P01", "55P03"})
    void reportsUnavailable_butKeepsTheConnection_whenTheDatabaseIsBusy(String state) throws SQLException {
        DatabaseConnection db = new DatabaseConnection(factory);
        assertThatThrownBy(() -> db.execute(c -> {
            throw failure(state, null);
        })).isInstanceOf(DependencyUnavailableException.class).hasMessageContaining(state);
        assertThat(db.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08003", "57P01", "57P02", "57P03"})
    void dropsTheConnection_andOpensANewOneNextTime_whenTheConnectionFailed(String state) throws SQLException {
        DatabaseConnection db = new DatabaseConnection(factory, Duration.ofHours(1));
        db.execute(c -> c);
        assertThatThrownBy(() -> db.execute(c -> {
            throw failure(state, null);
        })).isInstanceOf(DependencyUnavailableException.class);
        assertThat(opened.getFirst().closed).isTrue();
        assertThat(db.isOpen()).isFalse();

        Connection next = db.execute(c -> c);
        assertThat(opened).hasSize(2);
        assertThat(next).isSameAs(opened.get(1).proxy);
    }

    @Test
    void retriesOnceOnAFreshConnection_whenAnIdleConnectionHadADeadSocket() throws SQLException {
        DatabaseConnection db = new DatabaseConnection(factory, Duration.ZERO);
        db.execute(c -> c);
        List<Connection> attempts = new ArrayList<>();

        String result = db.execute(c -> {
            attempts.add(c);
            if (attempts.size() == 1) {
                throw failure("08006", new SocketException("Broken pipe"));
            }
            return "stored";
        });

        assertThat(result).isEqualTo("stored");
        assertThat(attempts).containsExactly(opened.get(0).proxy, opened.get(1).proxy);
        assertThat(opened.getFirst().closed).isTrue();
    }

    @Test
    void retriesAtMostOnce() {
        DatabaseConnection db = new DatabaseConnection(factory, Duration.ZERO);
        List<Connection> attempts = new ArrayList<>();
        assertThatThrownBy(() -> {
            db.execute(c -> c);
            db.execute(c -> {
                attempts.add(c);
                throw failure("08006", new EOFException());
            });
        }).isInstanceOf(DependencyUnavailableException.class);
        assertThat(attempts).hasSize(2);
        assertThat(opened).allSatisfy(c -> assertThat(c.closed).isTrue());
    }

    @Test
    void doesNotRetry_whenTheFailureWasAReadTimeout() {
        DatabaseConnection db = new DatabaseConnection(factory, Duration.ZERO);
        List<Connection> attempts = new ArrayList<>();
        assertThatThrownBy(() -> {
            db.execute(c -> c);
            db.execute(c -> {
                attempts.add(c);
                throw failure("08006", new SocketTimeoutException("Read timed out"));
            });
        }).isInstanceOf(DependencyUnavailableException.class);
        assertThat(attempts).hasSize(1);
    }

    @Test
    void doesNotRetry_whenTheConnectionWasNotIdle() {
        DatabaseConnection db = new DatabaseConnection(factory, Duration.ofHours(1));
        List<Connection> attempts = new ArrayList<>();
        assertThatThrownBy(() -> {
            db.execute(c -> c);
            db.execute(c -> {
                attempts.add(c);
                throw failure("08006", new SocketException("Connection reset"));
            });
        }).isInstanceOf(DependencyUnavailableException.class);
        assertThat(attempts).hasSize(1);
    }

    @Test
    void doesNotRetry_onAFreshlyOpenedConnection() {
        DatabaseConnection db = new DatabaseConnection(factory, Duration.ZERO);
        List<Connection> attempts = new ArrayList<>();
        assertThatThrownBy(() -> db.execute(c -> {
            attempts.add(c);
            throw failure("08006", new SocketException("Connection reset"));
        })).isInstanceOf(DependencyUnavailableException.class);
        assertThat(attempts).hasSize(1);
    }

    @Test
    void reportsUnavailable_whenTheConnectionCannotBeOpened() {
        DatabaseConnection db = new DatabaseConnection(() -> {
            throw new SQLException("Connection attempt timed out.", "08001");
        });
        assertThatThrownBy(() -> db.execute(c -> c))
                .isInstanceOfSatisfying(DependencyUnavailableException.class,
                        e -> assertThat(e.dependency()).isEqualTo("postgresql"));
    }

    @Test
    void answersUnavailableFast_whenAnotherCallHoldsTheConnectionLongerThanTheWait() throws Exception {
        DatabaseConnection db = new DatabaseConnection(factory, Duration.ofHours(1), Duration.ofMillis(50));
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            try {
                db.execute(c -> {
                    holding.countDown();
                    awaitQuietly(release);
                    return c;
                });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(holding.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> db.execute(c -> c)).isInstanceOf(DependencyUnavailableException.class)
                    .hasMessageContaining("no free connection within 50 ms");
        } finally {
            release.countDown();
            holder.join();
        }
        Connection again = db.execute(c -> c);
        assertThat(again).as("free again once the other call is done").isSameAs(opened.getFirst().proxy);
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
