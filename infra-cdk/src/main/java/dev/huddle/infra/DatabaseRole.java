package dev.huddle.infra;

/**
 * The PostgreSQL login roles the stack holds a secret for, one per database client. The migrations create
 * them (and the NOLOGIN owner {@value #OWNER} that owns the schemas) and grant each only what its function
 * does; the stack gives each function the secret of its own role and nothing else, registers every secret
 * with the RDS Proxy and rotates each one (single-user rotation: a role may change its own password).
 * The replay function calls only SQS and has no role.
 */
public enum DatabaseRole {
    /** Runs the Flyway migrations: the only role that changes the schemas. */
    MIGRATOR("huddle_migrator", "Migrator"),
    /** POST routes: EXECUTE on the ingest procedures. */
    INGEST("huddle_ingest", "Ingest"),
    /** GET /api/health: its probe and backlog figures. */
    HEALTH("huddle_health", "Health"),
    /** GET /api/admin/orgs/{orgId}/rollups: reads the rollups. */
    ADMIN_API("huddle_admin_api", "AdminApi"),
    /** The rollup worker: runs rollup jobs. */
    ROLLUP_WORKER("huddle_rollup_worker", "RollupWorker"),
    /** The rollup sweep: lists orgs with pending events. */
    ROLLUP_SWEEP("huddle_rollup_sweep", "RollupSweep"),
    /** Nightly retention: exports, detaches and drops old partitions, creates partitions ahead. */
    RETENTION("huddle_retention", "Retention");

    /** Owns the schemas; NOLOGIN, so it has no secret. */
    public static final String OWNER = "huddle_owner";

    private final String roleName;
    private final String constructId;

    DatabaseRole(String roleName, String constructId) {
        this.roleName = roleName;
        this.constructId = constructId;
    }

    /** The PostgreSQL role name, also the secret's username. */
    public String roleName() {
        return roleName;
    }

    /** The stable part of the construct ids of this role's secret and rotation. */
    String constructId() {
        return constructId;
    }
}
