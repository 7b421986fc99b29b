package dev.huddle.perf.options;

import dev.huddle.devservers.PostgresServer;
import dev.huddle.devservers.SimpleDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import picocli.CommandLine.Option;

/**
 * Mixin of the benchmarks (bench, rollup-bench): an existing PostgreSQL given by --jdbc-url, otherwise
 * an embedded one of their own in a temporary directory. Deliberately no environment or running-stack
 * default: a benchmark must never fill the stack's database by accident.
 */
public final class BenchDatabaseOptions {
    @Option(names = "--jdbc-url", description = "An existing PostgreSQL (the benchmark migrates it and writes to it)"
            + " instead of an embedded one.")
    String jdbcUrl;

    @Option(names = {"--user", "--db-user"}, defaultValue = "postgres",
            description = "Database user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = {"--password", "--db-password"}, defaultValue = "", description = "Database password.")
    String password;

    /** Starts the embedded server (without --jdbc-url) or points at the given one; close to stop/delete it. */
    public BenchPostgres open(String temporaryDirectoryPrefix) {
        if (jdbcUrl != null) {
            return new BenchPostgres(new SimpleDataSource(jdbcUrl, user, password), jdbcUrl, null, null);
        }
        try {
            Path dir = Files.createTempDirectory(temporaryDirectoryPrefix);
            PostgresServer server = PostgresServer.start(dir.resolve("data"), 0);
            String url = server.jdbcUrl("postgres");
            return new BenchPostgres(new SimpleDataSource(url, server.user(), server.password()),
                    "embedded PostgreSQL at " + url + " (data in " + dir + ")", server, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory", e);
        }
    }

    /** What --jdbc-url names, or null for an embedded server. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The benchmark's PostgreSQL; closing stops an embedded server and deletes its directory. */
    public static final class BenchPostgres implements AutoCloseable {
        private final DataSource dataSource;
        private final String description;
        private final PostgresServer embedded;
        private final Path directory;

        private BenchPostgres(DataSource dataSource, String description, PostgresServer embedded, Path directory) {
            this.dataSource = dataSource;
            this.description = description;
            this.embedded = embedded;
            this.directory = directory;
        }

        public DataSource dataSource() {
            return dataSource;
        }

        public String description() {
            return description;
        }

        @Override
        public void close() {
            if (embedded == null) {
                return;
            }
            embedded.close();
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + directory + ": " + e.getMessage());
            }
        }
    }
}
