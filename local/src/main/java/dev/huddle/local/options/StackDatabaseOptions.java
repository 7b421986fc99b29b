package dev.huddle.local.options;

import dev.huddle.devservers.SimpleDataSource;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Mixin: the PostgreSQL of the stack that commands work against (retention, backfill): the options, else
 * the same environment variables the functions read (DB_URL, DB_USER, DB_PASSWORD), else the running
 * local stack's (.local-stack/endpoints.json, see RunningStackDefaults), else the Config defaults.
 */
public final class StackDatabaseOptions {
    @Option(names = "--jdbc-url", defaultValue = "${env:DB_URL:-jdbc:postgresql://127.0.0.1:5432/huddle}",
            description = "PostgreSQL JDBC URL (default: $DB_URL, else the running local stack's, else"
                    + " jdbc:postgresql://127.0.0.1:5432/huddle).")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "${env:DB_USER:-huddle}",
            description = "Database user (default: $DB_USER, else the running local stack's, else huddle).")
    String user;

    @Option(names = "--db-password", defaultValue = "${env:DB_PASSWORD:-}",
            description = "Database password (default: $DB_PASSWORD, else the running local stack's).")
    String password;

    @Option(names = "--db-ssl-mode", defaultValue = "${env:DB_SSL_MODE:-disable}",
            description = "pgjdbc sslmode (default: $DB_SSL_MODE, else disable: a local stack has no TLS; on AWS"
                    + " the functions use verify-full).")
    String sslMode;

    /** The options as the settings the functions' Config reads (a value may be null: not set). */
    public Map<String, String> asSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("DB_URL", jdbcUrl);
        settings.put("DB_USER", user);
        settings.put("DB_PASSWORD", password);
        settings.put("DB_SSL_MODE", sslMode);
        return settings;
    }

    public SimpleDataSource dataSource() {
        return new SimpleDataSource(jdbcUrl, user, password);
    }

    /** The URL without its query string, which may carry credentials: for messages. */
    public String redactedUrl() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
