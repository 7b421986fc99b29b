package dev.huddle.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Creates and updates the database roles, idempotently, as the RDS admin (or the embedded server's
 * superuser in tests and the local stack) before Flyway runs: creating a role, setting another role's
 * password or settings needs CREATEROLE, which none of our roles holds.
 *
 * <ul>
 *   <li>{@code huddle_owner} (NOLOGIN) owns the schemas; objects created before the roles existed (by the
 *       admin) are handed over to it, Flyway's history table included.</li>
 *   <li>{@code huddle_migrator} may SET ROLE huddle_owner: the only login that changes the schemas.</li>
 *   <li>each function's role logs in with its own password and statement_timeout.</li>
 * </ul>
 *
 * <p>Passwords are sent as SCRAM verifiers computed here (pgjdbc {@code alterUserPassword}), so no plain
 * password reaches the server's statement log; they are never logged by us either.
 */
public final class DatabaseRoles {
    private DatabaseRoles() {
    }

    /**
     * Ensures every role exists with its settings, the owner's membership and database privileges, and the
     * owner's ownership of the schemas; sets the passwords given (role name to password, others untouched).
     */
    public static void ensure(DataSource admin, Map<String, String> passwords) {
        for (String role : passwords.keySet()) {
            if (DatabaseRole.byName(role).isEmpty()) {
                throw new IllegalArgumentException("not a login role of this service: " + role);
            }
        }
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            createIfMissing(statement, DatabaseRole.OWNER, "NOLOGIN");
            for (DatabaseRole role : DatabaseRole.values()) {
                createIfMissing(statement, role.roleName(), "LOGIN");
                statement.execute("ALTER ROLE " + role.roleName() + " SET statement_timeout = "
                        + role.statementTimeout().toMillis());
            }
            // The migrator acts as the owner through SET ROLE (Migrations), so what it creates is the owner's.
            statement.execute("GRANT " + DatabaseRole.OWNER + " TO " + DatabaseRole.MIGRATOR.roleName());
            grantOwnerToAdminIfNeeded(statement);
            statement.execute("DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO "
                    + DatabaseRole.OWNER + "', current_database()); END $$");
            handOverSchemas(statement);
            PGConnection pg = connection.unwrap(PGConnection.class);
            for (Map.Entry<String, String> password : passwords.entrySet()) {
                pg.alterUserPassword(password.getKey(), password.getValue().toCharArray(), "scram-sha-256");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating the database roles failed (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Roles are per cluster: another database's migration may create the same role at the same moment. */
    private static void createIfMissing(Statement statement, String role, String login) throws SQLException {
        statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') THEN "
                + "CREATE ROLE " + role + " " + login + "; END IF; "
                + "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$");
    }

    /**
     * Handing an object to huddle_owner requires being able to SET ROLE to it (PostgreSQL 16+); the RDS
     * admin is not a superuser, but holds ADMIN OPTION on the roles it created and may grant itself that.
     */
    private static void grantOwnerToAdminIfNeeded(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery(
                "SELECT rolsuper OR pg_has_role(current_user, '" + DatabaseRole.OWNER + "', 'SET')"
                        + " FROM pg_roles WHERE rolname = current_user")) {
            rows.next();
            if (!rows.getBoolean(1)) {
                statement.execute("GRANT " + DatabaseRole.OWNER + " TO CURRENT_USER");
            }
        }
    }

    /** The schemas and every table, sequence and function in them, when created by someone else. */
    private static void handOverSchemas(Statement statement) throws SQLException {
        statement.execute("""
                DO $$
                DECLARE
                    v record;
                BEGIN
                    FOR v IN
                        SELECT format('ALTER SCHEMA %I OWNER TO huddle_owner', n.nspname) AS ddl
                          FROM pg_namespace n
                         WHERE n.nspname IN ('huddle', 'huddle_api') AND n.nspowner <> 'huddle_owner'::regrole
                        UNION ALL
                        SELECT format('ALTER TABLE %s OWNER TO huddle_owner', c.oid::regclass)
                          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname IN ('huddle', 'huddle_api') AND c.relkind IN ('r', 'p', 'v', 'm')
                           AND c.relowner <> 'huddle_owner'::regrole
                        UNION ALL
                        -- Sequences owned by a column follow their table; the free-standing ones go here.
                        SELECT format('ALTER SEQUENCE %s OWNER TO huddle_owner', c.oid::regclass)
                          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname IN ('huddle', 'huddle_api') AND c.relkind = 'S'
                           AND c.relowner <> 'huddle_owner'::regrole
                           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
                        UNION ALL
                        SELECT format('ALTER ROUTINE %s OWNER TO huddle_owner', p.oid::regprocedure)
                          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                         WHERE n.nspname IN ('huddle', 'huddle_api') AND p.proowner <> 'huddle_owner'::regrole
                    LOOP
                        EXECUTE v.ddl;
                    END LOOP;
                END;
                $$""");
    }
}
