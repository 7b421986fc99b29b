package dev.huddle.sql;

import java.time.Duration;
import java.util.Optional;

/**
 * The login roles of the database (README "Database roles"): the migrator and one role per function, each
 * with the server-side statement timeout of its work. What each may do is granted in
 * {@code db/migration/afterMigrate__grants.sql}; {@link DatabaseRoles} creates them. The timeout is a role
 * setting ({@code ALTER ROLE ... SET statement_timeout}) rather than a startup option or a session
 * {@code SET}: RDS Proxy refuses startup options and pins a connection after a session {@code SET}, and a
 * transaction-mode pooler would lose the setting.
 */
public enum DatabaseRole {
    /** Applies the migrations as {@link #OWNER}; DDL may wait on locks held by requests: no timeout. */
    MIGRATOR("huddle_migrator", Duration.ZERO),
    /** The POST ingest routes: one procedure call per batch, on the request path. */
    INGEST("huddle_ingest", Duration.ofSeconds(3)),
    /** GET /api/health: must answer fast even when the database does not. */
    HEALTH("huddle_health", Duration.ofSeconds(1)),
    /** GET /api/admin/orgs/{orgId}/rollups. */
    ADMIN_API("huddle_admin_api", Duration.ofSeconds(3)),
    /** Runs rollup jobs from the queue; the stack's ROLLUP_STATEMENT_TIMEOUT_MS is the same 25 s. */
    ROLLUP_WORKER("huddle_rollup_worker", Duration.ofSeconds(25)),
    /** Lists the orgs with pending rollups every minute. */
    ROLLUP_SWEEP("huddle_rollup_sweep", Duration.ofSeconds(10)),
    /** The nightly snapshot-and-drop of old partitions: a partition's COPY may take minutes. */
    RETENTION("huddle_retention", Duration.ofMinutes(14));

    /** Owns the schemas and every object in them; nobody logs in as it (NOLOGIN). */
    public static final String OWNER = "huddle_owner";

    private final String roleName;
    private final Duration statementTimeout;

    DatabaseRole(String roleName, Duration statementTimeout) {
        this.roleName = roleName;
        this.statementTimeout = statementTimeout;
    }

    public String roleName() {
        return roleName;
    }

    /** The role's statement_timeout; zero means none. */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    public static Optional<DatabaseRole> byName(String roleName) {
        for (DatabaseRole role : values()) {
            if (role.roleName.equals(roleName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
