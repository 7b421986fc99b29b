package dev.huddle.ops.target;

import dev.huddle.devservers.SimpleDataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Mixin: the PostgreSQL of the stack that commands work against (retention, backfill, loadtest --target),
 * found the one way (see {@link StateDirectory}): these options, else the stack running in --state-dir,
 * else DB_URL, DB_USER, DB_PASSWORD; never a default address.
 */
public final class StackDatabaseOptions {
    private static final List<String> REQUIRED = List.of("DB_URL");

    @Mixin
    StateDirectory stateDirectory;

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "PostgreSQL JDBC URL (default: the stack running in --state-dir, else $DB_URL).")
    String jdbcUrl;

    @Option(names = "--db-user", description = "Database user (default: the running stack's, else $DB_USER).")
    String user;

    @Option(names = "--db-password", description = "Database password (default: the running stack's, else $DB_PASSWORD).")
    String password;

    @Option(names = "--db-ssl-mode", paramLabel = "MODE",
            description = "pgjdbc sslmode (default: the running stack's, else $DB_SSL_MODE, else disable: a local"
                    + " stack has no TLS; on AWS the functions use verify-full).")
    String sslMode;

    public StateDirectory stateDirectory() {
        return stateDirectory;
    }

    /**
     * The stack's settings with the database resolved, by Config name ({@code DB_URL}, ...), plus the
     * {@code required} ones of the caller (an S3 endpoint, ...) merged with its own {@code overrides}.
     */
    public Map<String, String> settings(Map<String, String> environment, Map<String, String> overrides,
            List<String> required) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("DB_URL", jdbcUrl);
        all.put("DB_USER", user);
        all.put("DB_PASSWORD", password);
        all.put("DB_SSL_MODE", sslMode);
        List<String> needed = new ArrayList<>(REQUIRED);
        needed.addAll(required);
        Map<String, String> settings = stateDirectory.stackSettings(environment, all, needed);
        // A local stack's PostgreSQL has no TLS; a command pointed at RDS says so (--db-ssl-mode, DB_SSL_MODE).
        settings.putIfAbsent("DB_SSL_MODE", "disable");
        return settings;
    }

    /** The database alone. */
    public Map<String, String> settings(Map<String, String> environment) {
        return settings(environment, Map.of(), List.of());
    }

    public static SimpleDataSource dataSource(Map<String, String> settings) {
        return new SimpleDataSource(settings.get("DB_URL"), settings.getOrDefault("DB_USER", "huddle"),
                settings.getOrDefault("DB_PASSWORD", ""));
    }

    /** The URL without its query string, which may carry credentials: for messages. */
    public static String redactedUrl(Map<String, String> settings) {
        String url = settings.get("DB_URL");
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }
}
