package dev.huddle.perf.bench;

import dev.huddle.perf.options.BenchDatabaseOptions;
import dev.huddle.sql.DemoData;
import dev.huddle.sql.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The PostgreSQL the benchmark runs on (see {@link BenchDatabaseOptions}), migrated and seeded.
 *
 * <p>Every benchmark session sets {@code synchronous_commit} explicitly: the embedded server (zonky)
 * defaults it to off, which would make a commit free and hide what batching saves; RDS runs with it on.
 */
final class BenchDatabase implements AutoCloseable {
    private final BenchDatabaseOptions.BenchPostgres postgres;
    private final DataSource dataSource;
    private final String description;
    private boolean synchronousCommit = true;

    private BenchDatabase(BenchDatabaseOptions.BenchPostgres postgres) {
        this.postgres = postgres;
        this.dataSource = postgres.dataSource();
        this.description = postgres.description();
    }

    /** Opens the database the options name (or an embedded one), migrated and seeded with the demo data. */
    static BenchDatabase open(BenchDatabaseOptions options) {
        BenchDatabase database = new BenchDatabase(options.open("huddle-bench-"));
        Migrations.apply(database.dataSource);
        DemoData.seed(database.dataSource);
        return database;
    }

    String description() {
        return description;
    }

    /** Whether commits wait for the WAL flush (production: yes). */
    void synchronousCommit(boolean on) {
        this.synchronousCommit = on;
    }

    Connection connect() {
        try {
            Connection connection = dataSource.getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET synchronous_commit = " + (synchronousCommit ? "on" : "off"));
            }
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + description, e);
        }
    }

    /** The server's current WAL insert position in bytes: the difference of two is the WAL written between. */
    long walPosition() {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet position = st.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")) {
            position.next();
            return position.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the WAL position of " + description, e);
        }
    }

    /** The server version, for the report. */
    String serverVersion() {
        try (Connection c = connect()) {
            return c.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        postgres.close();
    }
}
