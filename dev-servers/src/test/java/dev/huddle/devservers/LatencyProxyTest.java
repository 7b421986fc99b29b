package dev.huddle.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy in front of a real PostgreSQL: added latency per round trip, outage, recovery, severed and
 * silent connections, and what it sees on the wire.
 */
class LatencyProxyTest {
    private TestPostgres.Database database;
    private LatencyProxy proxy;

    @BeforeEach
    void startProxy() {
        database = TestPostgres.newDatabase();
        URI target = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        proxy = LatencyProxy.start(target.getHost(), target.getPort(), Duration.ZERO);
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void delaysEveryRoundTripByTheLatency_whenLatencyIsSet() throws SQLException {
        try (Connection connection = connectThroughProxy()) {
            // The fastest of a few: one round trip on a busy machine can stall for longer than the latency.
            long direct = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                direct = Math.min(direct, timeQuery(connection));
            }
            proxy.latency(Duration.ofMillis(150));

            long slowed = timeQuery(connection);

            assertThat(slowed).as("a round trip with the latency set").isGreaterThanOrEqualTo(Duration.ofMillis(150).toNanos());
            assertThat(direct).as("the fastest round trip without it").isLessThan(Duration.ofMillis(150).toNanos());
        }
    }

    @Test
    void cutsOpenConnectionsAndRefusesNewOnes_duringAnOutage_andServesAgainAfterIt() throws SQLException {
        Connection open = connectThroughProxy();
        timeQuery(open);

        proxy.startOutage();

        assertThatThrownBy(() -> timeQuery(open)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
        assertThatThrownBy(this::connectThroughProxy).isInstanceOf(SQLException.class);
        assertThat(proxy.openConnections()).isZero();

        proxy.endOutage();

        try (Connection again = connectThroughProxy()) {
            timeQuery(again);
            assertThat(proxy.openConnections()).isEqualTo(1);
        }
        open.close();
    }

    @Test
    void countsConnectionsAndClientRoundTrips_andKeepsEachClientsFirstBytes() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", database.user());
        login.setProperty("password", database.password());
        // Without TLS the startup packet is the first thing sent (else an SSLRequest comes first).
        login.setProperty("sslmode", "disable");
        try (Connection connection = DriverManager.getConnection(proxiedUrl(), login)) {
            int turnsBefore = proxy.clientTurns();

            for (int i = 0; i < 3; i++) {
                timeQuery(connection);
            }

            assertThat(proxy.clientTurns() - turnsBefore).as("round trips for 3 queries").isEqualTo(3);
            assertThat(proxy.connectionsMade()).isEqualTo(1);
            // PostgreSQL's startup packet names the user as a NUL-terminated parameter pair.
            assertThat(new String(proxy.clientOpenings().getFirst(), StandardCharsets.ISO_8859_1))
                    .contains("user\0" + database.user() + "\0");
        }
    }

    @Test
    void closesOpenConnections_butAcceptsNewOnes_whenSevered() throws SQLException {
        try (Connection open = connectThroughProxy()) {
            timeQuery(open);

            proxy.severAll();

            assertThatThrownBy(() -> timeQuery(open)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
            try (Connection again = connectThroughProxy()) {
                timeQuery(again);
            }
            assertThat(proxy.connectionsMade()).isEqualTo(2);
        }
    }

    @Test
    void leavesTheConnectionOpenButSilent_whileBlackHoled() throws SQLException {
        ExecutorService timeouts = Executors.newSingleThreadExecutor();
        try (Connection connection = connectThroughProxy()) {
            timeQuery(connection);
            connection.setNetworkTimeout(timeouts, 1_000);

            proxy.blackHole(true);

            // A read timeout, not a reset or an end of stream: the proxy kept the connection open and said nothing.
            assertThatThrownBy(() -> timeQuery(connection)).isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class);
            proxy.blackHole(false);
            try (Connection again = connectThroughProxy()) {
                timeQuery(again);
            }
        } finally {
            timeouts.shutdownNow();
        }
    }

    private Connection connectThroughProxy() throws SQLException {
        return new SimpleDataSource(proxiedUrl(), database.user(), database.password()).getConnection();
    }

    private String proxiedUrl() {
        return database.jdbcUrl().replaceFirst(":\\d+/", ":" + proxy.port() + "/");
    }

    /** Nanoseconds one {@code select 1} round trip took. */
    private static long timeQuery(Connection connection) throws SQLException {
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
        }
        return System.nanoTime() - start;
    }
}
