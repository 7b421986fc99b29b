package dev.huddle.local.retention;

import picocli.CommandLine.Option;

/**
 * Where the retention and backfill commands find PostgreSQL: the options, else the same environment
 * variables the functions read (DB_URL, DB_USER, DB_PASSWORD), else the Config defaults.
 */
public final class DatabaseOptions {
    @Option(names = "--jdbc-url", defaultValue = "${env:DB_URL:-jdbc:postgresql://127.0.0.1:5432/huddle}",
            description = "PostgreSQL JDBC URL (default: $DB_URL or ${DEFAULT-VALUE}).")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "${env:DB_USER:-huddle}", description = "Database user (default: $DB_USER or huddle).")
    String user;

    @Option(names = "--db-password", defaultValue = "${env:DB_PASSWORD:-}", description = "Database password (default: $DB_PASSWORD).")
    String password;
}
