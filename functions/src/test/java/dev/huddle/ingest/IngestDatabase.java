package dev.huddle.ingest;

import dev.huddle.common.db.ConnectionFactory;
import dev.huddle.devservers.TestPostgres;
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

    /** A pgjdbc factory as production builds it, to this database or through a proxy on proxyPort. */
    public ConnectionFactory factory(Duration statementTimeout, String applicationName, Integer proxyPort) {
        String url = database.jdbcUrl();
        if (proxyPort != null) {
            url = "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + database.name();
        }
        return ConnectionFactory.pgjdbc(url, database.user(), database.password(), Duration.ofSeconds(1),
                statementTimeout, applicationName);
    }

    public String host() {
        return upstream().getHost();
    }

    public int port() {
        return upstream().getPort();
    }

    private URI upstream() {
        return URI.create(database.jdbcUrl().substring("jdbc:".length()));
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
