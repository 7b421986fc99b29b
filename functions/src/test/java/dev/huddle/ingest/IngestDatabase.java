package dev.huddle.ingest;

import dev.huddle.common.db.ConnectionFactory;
import dev.huddle.common.db.CredentialSource;
import dev.huddle.common.db.DatabaseTls;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.sql.DatabaseRole;
import dev.huddle.sql.DemoData;
import dev.huddle.sql.Migrations;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** A migrated database with the demo data, on the shared test PostgreSQL, and helpers around it. */
public final class IngestDatabase {
    /** Every table an ingest call may write. */
    public static final List<String> WRITTEN_TABLES = List.of("huddle.progress_events", "huddle.analytics_events",
            "huddle.user_lesson_progress", "huddle.user_course_progress", "huddle.client_queue_reports");

    final TestPostgres.Database database;

    private IngestDatabase(TestPostgres.Database database) {
        this.database = database;
    }

    public static IngestDatabase create() {
        return new IngestDatabase(seededDatabase());
    }

    /** A fresh database with the schema and the demo data (a copy of one prepared once per test JVM). */
    public static TestPostgres.Database seededDatabase() {
        return TestPostgres.newDatabase("migrated-and-seeded", dataSource -> {
            Migrations.apply(dataSource);
            DemoData.seed(dataSource);
        });
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    /** The ingest function's factory: {@link #factory(DatabaseRole, Duration, String, Integer)} as huddle_ingest. */
    public ConnectionFactory factory(Duration statementTimeout, String applicationName, Integer proxyPort) {
        return factory(DatabaseRole.INGEST, statementTimeout, applicationName, proxyPort);
    }

    /**
     * A pgjdbc factory as production builds it, logged in as {@code role} (so a missing grant fails the
     * test), to this database (through PgBouncer in the pooled run) or through a proxy on proxyPort in
     * front of that. The local server has no TLS.
     */
    public ConnectionFactory factory(DatabaseRole role, Duration statementTimeout, String applicationName,
                                     Integer proxyPort) {
        TestPostgres.Login login = database.login(role.roleName());
        String url = login.jdbcUrl();
        if (proxyPort != null) {
            url = "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + database.name();
        }
        return ConnectionFactory.pgjdbc(url, CredentialSource.fixed(login.user(), login.password()),
                DatabaseTls.disabled(), Duration.ofSeconds(1), statementTimeout, applicationName);
    }

    /** Settings of the local server as the functions read them, logged in as {@code role}. */
    public Map<String, String> environment(DatabaseRole role) {
        TestPostgres.Login login = database.login(role.roleName());
        return Map.of("DB_URL", login.jdbcUrl(), "DB_USER", login.user(), "DB_PASSWORD", login.password(),
                "DB_SSL_MODE", "disable");
    }

    /** Where {@code role} logs in (through PgBouncer in the pooled run). */
    public String jdbcUrl(DatabaseRole role) {
        return database.login(role.roleName()).jdbcUrl();
    }

    /** The PostgreSQL server's own port (never the pooler's). */
    public int serverPort() {
        return URI.create(database.jdbcUrl().substring("jdbc:".length())).getPort();
    }

    /** Where the functions' connections go: the server, or PgBouncer in the pooled run (for proxies in between). */
    public String host() {
        return upstream().getHost();
    }

    public int port() {
        return upstream().getPort();
    }

    private URI upstream() {
        return URI.create(database.login(DatabaseRole.INGEST.roleName()).jdbcUrl().substring("jdbc:".length()));
    }

    /**
     * Sets {@code role}'s statement_timeout in this database only (other tests share the server and its
     * roles): the way production bounds statements, from new logins on.
     */
    public void setStatementTimeout(DatabaseRole role, Duration timeout) throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER ROLE " + role.roleName() + " IN DATABASE " + database.name()
                    + " SET statement_timeout = " + timeout.toMillis());
        }
    }

    public Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : WRITTEN_TABLES) {
                try (ResultSet rs = st.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
