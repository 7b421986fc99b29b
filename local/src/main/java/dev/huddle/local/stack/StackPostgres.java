package dev.huddle.local.stack;

import dev.huddle.common.DatabaseConfig;
import dev.huddle.devservers.LatencyProxy;
import dev.huddle.devservers.PostgresServer;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.ops.target.StateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The stack's PostgreSQL: embedded (zonky, data in the state directory) with its {@code huddle} database, or
 * the external one in {@code DB_URL}, checked reachable; and the optional latency proxy the functions reach it
 * through ({@code run --db-latency}).
 */
final class StackPostgres {
    private static final String DATABASE = "huddle";

    private StackPostgres() {
    }

    /** Starts the embedded server unless {@code DB_URL} is set (then checks it answers); returns its settings. */
    static Map<String, String> startUnlessExternal(EmulatedStackOptions options, Deque<AutoCloseable> started) {
        if (options.setting("DB_URL") != null) {
            checkReachable(DatabaseConfig.from(options.environment()));
            return Map.of();
        }
        Path dataDirectory = dataDirectory(options);
        if (options.fresh()) {
            deleteRecursively(dataDirectory);
        }
        PostgresServer postgres = PostgresServer.start(dataDirectory, 0);
        started.push(postgres);
        createDatabaseIfMissing(postgres.dataSource("postgres"));
        return Map.of(
                "DB_URL", postgres.jdbcUrl(DATABASE),
                "DB_USER", postgres.user(),
                "DB_PASSWORD", postgres.password(),
                // The embedded server on 127.0.0.1 has no TLS (on AWS: verify-full, the default).
                "DB_SSL_MODE", "disable");
    }

    static LatencyProxy startProxy(DatabaseConfig config, Duration latency, Deque<AutoCloseable> started) {
        URI database = URI.create(config.url().substring("jdbc:".length()));
        LatencyProxy proxy = LatencyProxy.start(database.getHost(), database.getPort() > 0 ? database.getPort() : 5432,
                latency);
        started.push(proxy);
        return proxy;
    }

    /** The functions' settings: the same, except DB_URL names the proxy's port instead of the server's. */
    static Map<String, String> throughProxy(Map<String, String> settings, LatencyProxy proxy) {
        URI database = URI.create(settings.get("DB_URL").substring("jdbc:".length()));
        settings.put("DB_URL", "jdbc:postgresql://127.0.0.1:" + proxy.port() + database.getRawPath()
                + (database.getRawQuery() == null ? "" : "?" + database.getRawQuery()));
        return settings;
    }

    static String describe(DatabaseConfig config, boolean external, EmulatedStackOptions options, LatencyProxy proxy) {
        String proxyDescription = proxy == null ? ""
                : ", functions connect through the latency proxy on 127.0.0.1:" + proxy.port() + " (+"
                        + proxy.latency().toMillis() + " ms per round trip)";
        return (external ? redactedUrl(config.url()) + " (external)"
                : config.url() + " (user " + config.user() + "), data in " + dataDirectory(options))
                + proxyDescription;
    }

    private static Path dataDirectory(EmulatedStackOptions options) {
        return StateDirectory.of(options.stateDirectory()).postgresData();
    }

    /** Fails the start with the driver's reason when the external database cannot be reached. */
    private static void checkReachable(DatabaseConfig config) {
        try (Connection connection = new SimpleDataSource(config.url(), config.user(), config.password())
                .getConnection()) {
            connection.isValid((int) Math.max(1, config.connectTimeout().toSeconds()));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to DB_URL " + redactedUrl(config.url())
                    + " as " + config.user(), e);
        }
    }

    private static void createDatabaseIfMissing(DataSource admin) {
        try (Connection connection = admin.getConnection()) {
            try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
                exists.setString(1, DATABASE);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
    }

    private static String redactedUrl(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + directory, e);
        }
    }
}
