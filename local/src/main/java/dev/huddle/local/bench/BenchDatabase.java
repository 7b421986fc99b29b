package dev.huddle.local.bench;

import dev.huddle.devservers.PostgresServer;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.sql.DemoData;
import dev.huddle.sql.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The PostgreSQL the benchmark runs on: an external server when a JDBC URL is given, otherwise its own
 * embedded server in a temporary directory (deleted on close). Either way migrated and seeded.
 *
 * <p>Every benchmark session sets {@code synchronous_commit} explicitly: the embedded server (zonky)
 * defaults it to off, which would make a commit free and hide what batching saves; RDS runs with it on.
 */
final class BenchDatabase implements AutoCloseable {
    private final DataSource dataSource;
    private final String description;
    private boolean synchronousCommit = true;
    private final PostgresServer embedded;
    private final Path tempDir;

    private BenchDatabase(DataSource dataSource, String description, PostgresServer embedded, Path tempDir) {
        this.dataSource = dataSource;
        this.description = description;
        this.embedded = embedded;
        this.tempDir = tempDir;
    }

    static BenchDatabase external(String jdbcUrl, String user, String password) {
        return prepared(new BenchDatabase(new SimpleDataSource(jdbcUrl, user, password), jdbcUrl, null, null));
    }

    static BenchDatabase embedded() {
        try {
            Path dir = Files.createTempDirectory("huddle-bench-");
            PostgresServer server = PostgresServer.start(dir.resolve("data"), 0);
            String url = server.jdbcUrl("postgres");
            return prepared(new BenchDatabase(new SimpleDataSource(url, server.user(), server.password()),
                    "embedded PostgreSQL at " + url + " (data in " + dir + ")", server, dir));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory", e);
        }
    }

    private static BenchDatabase prepared(BenchDatabase database) {
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
        if (embedded != null) {
            embedded.close();
        }
        if (tempDir != null) {
            try (Stream<Path> files = Files.walk(tempDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + tempDir + ": " + e.getMessage());
            }
        }
    }
}
