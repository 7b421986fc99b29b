package dev.huddle.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.devservers.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SnapStart hooks, called as the Lambda runtime would around a snapshot, on a real PostgreSQL. */
class DatabaseConnectionSnapStartTest {
    private final TestPostgres.Database database = TestPostgres.newDatabase();
    private final List<Connection> opened = new ArrayList<>();
    private final ConnectionFactory pgjdbc = ConnectionFactory.pgjdbc(database.jdbcUrl(),
            CredentialSource.fixed(database.user(), database.password()), DatabaseTls.disabled(), Duration.ofSeconds(2),
            Duration.ofSeconds(2), "test-snapstart");
    private final DatabaseConnection connection = new DatabaseConnection(() -> {
        Connection c = pgjdbc.open();
        opened.add(c);
        return c;
    });

    @Test
    void closesTheConnection_beforeTheSnapshot() throws SQLException {
        assertThat(selectOne()).isEqualTo(1);

        connection.beforeCheckpoint(null);

        assertThat(connection.isOpen()).isFalse();
        assertThat(opened).singleElement().satisfies(c -> assertThat(c.isClosed()).isTrue());
    }

    @Test
    void reconnectsLazily_afterRestore() throws SQLException {
        selectOne();
        connection.beforeCheckpoint(null);

        connection.afterRestore(null);
        assertThat(opened).hasSize(1);
        assertThat(selectOne()).isEqualTo(1);

        assertThat(opened).hasSize(2);
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void doesNotConnect_whenTheSnapshotIsTakenBeforeAnyCall() {
        connection.beforeCheckpoint(null);
        connection.afterRestore(null);

        assertThat(opened).isEmpty();
    }

    private int selectOne() throws SQLException {
        return connection.execute(c -> {
            try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery("select 1")) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }
}
