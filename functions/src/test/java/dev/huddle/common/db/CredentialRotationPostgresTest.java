package dev.huddle.common.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.devservers.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The secret's password changes on a real PostgreSQL (as RDS rotation does): the container's cached
 * password is refused once, the secret is read again, and the login succeeds without an error reaching
 * the caller. The embedded server trusts every local login, so the test role gets a password rule first.
 */
class CredentialRotationPostgresTest {
    private static final AtomicInteger ROLES = new AtomicInteger();

    private final TestPostgres.Database database = TestPostgres.newDatabase();
    private final FakeSecretsManager secrets = new FakeSecretsManager();
    private final String role = "huddle_rotation_" + ProcessHandle.current().pid() + "_" + ROLES.incrementAndGet();
    private DatabaseConnection connection;

    @BeforeEach
    void createRoleThatMustLogInWithItsPassword() throws SQLException, IOException {
        admin("CREATE ROLE " + role + " LOGIN PASSWORD 'first-password'");
        requirePasswordFor(role);
        secrets.store(role, "first-password");
        SecretsManagerCredentials credentials = new SecretsManagerCredentials(secrets, FakeSecretsManager.SECRET_ID);
        connection = new DatabaseConnection(ConnectionFactory.pgjdbc(database.jdbcUrl(), credentials, DatabaseTls.disabled(),
                Duration.ofSeconds(2), Duration.ofSeconds(2), "test-rotation"));
    }

    @Test
    void logsInWithTheSecret_andReadsItOncePerContainer() throws SQLException {
        assertThat(currentUser()).isEqualTo(role);
        connection.close();
        assertThat(currentUser()).isEqualTo(role);

        assertThat(secrets.reads()).isEqualTo(1);
    }

    @Test
    void readsTheSecretAgainAndLogsIn_afterThePasswordWasRotated() throws SQLException {
        assertThat(currentUser()).isEqualTo(role);
        rotatePassword("rotated-password");
        secrets.store(role, "rotated-password");
        connection.close(); // the next call needs a new login, as after a container freeze or a restore

        assertThat(currentUser()).isEqualTo(role);
        assertThat(secrets.reads()).isEqualTo(2);
    }

    @Test
    void answersUnavailable_whenTheSecretStillHoldsARefusedPassword() throws SQLException {
        rotatePassword("rotated-password"); // the database changed, the secret not (yet)

        assertThatThrownBy(this::currentUser)
                .isInstanceOfSatisfying(DependencyUnavailableException.class,
                        e -> assertThat(e.getMessage()).contains("28P01"));
        assertThat(secrets.reads()).isEqualTo(2);
    }

    private String currentUser() throws SQLException {
        return connection.execute(c -> {
            try (Statement st = c.createStatement(); ResultSet rows = st.executeQuery("select current_user")) {
                rows.next();
                return rows.getString(1);
            }
        });
    }

    private void rotatePassword(String password) throws SQLException {
        admin("ALTER ROLE " + role + " PASSWORD '" + password + "'");
    }

    /** Puts a password rule for this role above the embedded server's "trust" lines and reloads. */
    private void requirePasswordFor(String user) throws SQLException, IOException {
        Path hba = Path.of(adminQuery("SHOW hba_file"));
        String rule = "host all " + user + " 127.0.0.1/32 scram-sha-256\n";
        synchronized (CredentialRotationPostgresTest.class) {
            Files.writeString(hba, rule + Files.readString(hba, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }
        adminQuery("SELECT pg_reload_conf()");
        // The reload is asynchronous: wait until the server applies the new rule.
        await("the server applies the password rule for " + user).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() -> refusesWrongPassword(user));
    }

    private boolean refusesWrongPassword(String user) {
        try (Connection ignored = java.sql.DriverManager.getConnection(database.jdbcUrl(), user, "not-the-password")) {
            return false;
        } catch (SQLException e) {
            return "28P01".equals(e.getSQLState());
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private String adminQuery(String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rows = st.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
