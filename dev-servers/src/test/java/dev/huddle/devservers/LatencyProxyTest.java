package dev.huddle.devservers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a real PostgreSQL: added latency per round trip, outage, recovery. */
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
    void shouldDelayEveryRoundTripByTheLatency_whenLatencyIsSet() throws SQLException {
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
    void shouldCutOpenConnectionsAndRefuseNewOnes_duringAnOutage_andServeAgainAfterIt() throws SQLException {
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

    private Connection connectThroughProxy() throws SQLException {
        String url = database.jdbcUrl().replaceFirst(":\\d+/", ":" + proxy.port() + "/");
        return new SimpleDataSource(url, database.user(), database.password()).getConnection();
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
