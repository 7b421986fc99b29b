package dev.huddle.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProcedureInput;
import dev.huddle.dbapi.RollupFanOutClaim;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.sql.support.Db;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 10: each function's role can do what its function does and nothing more (README "Database roles").
 * The functions' own tests log in as these roles, so a missing grant fails them; this class checks the
 * "nothing more" side and the bootstrap: owner, PUBLIC, SECURITY DEFINER, timeouts, passwords.
 */
class RolePrivilegesTest {
    /** SQLState insufficient_privilege: "permission denied" and "must be owner" alike. */
    private static final String DENIED = "42501";
    private static final String TODAY_PARTITION = "progress_events_p"
            + LocalDate.now(ZoneOffset.UTC).toString().replace("-", "");

    /** The procedure calls go through the functions' own face (HuddleApi), logged in as the role. */
    private static final Work ROLLUP_JOB = c -> HuddleApi.runRollupJob(c, "org-1", 10);
    private static final Work UPSERT_PROGRESS = c -> HuddleApi.upsertProgressBatch(c, "learner-0001", List.of(), null);

    private static TestPostgres.Database database;

    @BeforeAll
    static void migrate() {
        database = TestPostgres.newDatabase();
        Migrations.apply(database.dataSource());
        DemoData.seed(database.dataSource());
    }

    @Test
    void theIngestRole_cannotReadOrChangeTheEventTables_norDropAnything() {
        for (String sql : List.of(
                "SELECT count(*) FROM huddle.progress_events",
                "SELECT count(*) FROM huddle." + TODAY_PARTITION,
                "SELECT count(*) FROM huddle.learner_daily_usage",
                "UPDATE huddle.learner_daily_usage SET events = 0",
                "INSERT INTO huddle.analytics_events (event_id) VALUES ('x')",
                "UPDATE huddle.user_course_progress SET completed_lessons = 0",
                "DELETE FROM huddle.progress_events",
                "TRUNCATE huddle.progress_events",
                "DROP TABLE huddle.progress_events",
                "DROP FUNCTION huddle_api.upsert_progress_batch(text, jsonb, integer)",
                "DROP SCHEMA huddle CASCADE",
                "CREATE TABLE huddle.intruder (x int)",
                "CREATE TABLE public.intruder (x int)",
                "SELECT huddle_api.drop_event_partition('" + TODAY_PARTITION + "')",
                "SELECT huddle_api.rollup_lag()",
                "SELECT huddle.ensure_event_partitions(current_date, current_date)",
                // Only through ingest_request: not a batch, a claim or a charge alone.
                "SELECT * FROM huddle_api.upsert_progress_batch('learner-0001', '[]'::jsonb, null)",
                "SELECT * FROM huddle_api.claim_rollup_fanout(ARRAY['org-1'], 1)",
                "SELECT huddle_api.charge_daily_quota('learner-0001', 1, 1, 10, 10)")) {
            assertDenied(DatabaseRole.INGEST, sql);
        }
        assertDenied(DatabaseRole.INGEST, ROLLUP_JOB);
    }

    @Test
    void theIngestRole_canIngestBothKinds_withAndWithoutTheDailyQuotaCharge_andTheFanOutClaim() throws SQLException {
        DailyQuotaCharge quota = new DailyQuotaCharge(0, 0, 1, 1);
        RollupFanOutClaim fanOut = new RollupFanOutClaim(1);
        assertAllowed(DatabaseRole.INGEST, UPSERT_PROGRESS);
        assertAllowed(DatabaseRole.INGEST, c -> HuddleApi.ingestAnalyticsBatch(c, "learner-0001", List.of(), null,
                HuddleApi.DEFAULT_MAX_EVENT_NAMES));
        assertAllowed(DatabaseRole.INGEST, c -> HuddleApi.upsertProgressBatch(c, "learner-0001",
                ProcedureInput.of(List.of()), null, quota));
        assertAllowed(DatabaseRole.INGEST, c -> HuddleApi.ingestAnalyticsBatch(c, "learner-0001", List.of(), null,
                HuddleApi.DEFAULT_MAX_EVENT_NAMES, quota));
        assertAllowed(DatabaseRole.INGEST, c -> HuddleApi.upsertProgressBatch(c, "learner-0001",
                ProcedureInput.of(List.of()), null, quota, fanOut));
        assertAllowed(DatabaseRole.INGEST, c -> HuddleApi.ingestAnalyticsBatch(c, "learner-0001", List.of(), null,
                HuddleApi.DEFAULT_MAX_EVENT_NAMES, null, fanOut));
    }

    @Test
    void migrating_takesBackTheGrantsTheIngestRoleHadBeforeIngestRequest() throws SQLException {
        String claim = "SELECT * FROM huddle_api.claim_rollup_fanout(ARRAY['org-1'], 1)";
        Db.execute(database.dataSource(),
                "GRANT EXECUTE ON FUNCTION huddle_api.claim_rollup_fanout(text[], bigint) TO huddle_ingest");
        assertAllowed(DatabaseRole.INGEST, claim);

        Migrations.apply(database.dataSource());

        assertDenied(DatabaseRole.INGEST, claim);
        assertAllowed(DatabaseRole.INGEST, UPSERT_PROGRESS);
    }

    @Test
    void healthAdminRollupAndRetentionRoles_canDoTheirWork_andNotEachOthers() throws SQLException {
        assertAllowed(DatabaseRole.HEALTH, "SELECT huddle_api.rollup_lag()");
        assertAllowed(DatabaseRole.HEALTH, "SELECT coalesce(sum(depth), 0) FROM huddle.client_queue_reports"
                + " WHERE reported_at > now() - interval '15 minutes'");
        assertDenied(DatabaseRole.HEALTH, "SELECT user_id FROM huddle.client_queue_reports");
        assertDenied(DatabaseRole.HEALTH, "SELECT count(*) FROM huddle.user_course_progress");

        assertAllowed(DatabaseRole.ADMIN_API, "SELECT count(*) FROM huddle.org_daily_rollups WHERE org_id = 'org-1'");
        assertDenied(DatabaseRole.ADMIN_API, "SELECT count(*) FROM huddle.progress_events");
        assertDenied(DatabaseRole.ADMIN_API, "DELETE FROM huddle.org_daily_rollups");

        assertAllowed(DatabaseRole.ROLLUP_WORKER, ROLLUP_JOB);
        assertDenied(DatabaseRole.ROLLUP_WORKER, "SELECT count(*) FROM huddle.org_daily_rollups");
        assertAllowed(DatabaseRole.ROLLUP_SWEEP, "SELECT * FROM huddle_api.orgs_with_pending_rollups()");
        assertDenied(DatabaseRole.ROLLUP_SWEEP, ROLLUP_JOB);

        assertAllowed(DatabaseRole.RETENTION, "SELECT count(*) FROM huddle." + TODAY_PARTITION);
        assertAllowed(DatabaseRole.RETENTION, "SELECT * FROM huddle_api.retention_partitions(current_date)");
        assertDenied(DatabaseRole.RETENTION, "DELETE FROM huddle." + TODAY_PARTITION);
        assertDenied(DatabaseRole.RETENTION, "DROP TABLE huddle." + TODAY_PARTITION);
        assertDenied(DatabaseRole.RETENTION, "SELECT count(*) FROM huddle.user_course_progress");
        assertDenied(DatabaseRole.RETENTION, UPSERT_PROGRESS);
    }

    @Test
    void thePartitionProcedures_acceptOnlyDailyEventPartitions() {
        assertThatThrownBy(() -> execute(DatabaseRole.RETENTION, "SELECT huddle_api.drop_event_partition('orgs')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("not a daily event partition");
        assertThatThrownBy(() -> execute(DatabaseRole.RETENTION,
                "SELECT huddle_api.detach_event_partition('orgs', '" + TODAY_PARTITION + "')"))
                .isInstanceOf(SQLException.class).hasMessageContaining("is not of table");
    }

    @Test
    void everyObjectIsTheOwners_noFunctionIsPublic_andEntryPointsAreSecurityDefinersWithAFixedPath() throws SQLException {
        DataSource admin = database.dataSource();
        assertThat(Db.rows(admin, """
                SELECT c.oid::regclass::text AS object FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname IN ('huddle', 'huddle_api') AND c.relowner <> 'huddle_owner'::regrole
                UNION ALL
                SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname IN ('huddle', 'huddle_api') AND p.proowner <> 'huddle_owner'::regrole""")).isEmpty();
        assertThat(Db.rows(admin, """
                SELECT p.oid::regprocedure::text AS public_function FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname IN ('huddle', 'huddle_api') AND has_function_privilege('public', p.oid, 'EXECUTE')"""))
                .isEmpty();
        assertThat(Db.rows(admin, """
                SELECT DISTINCT p.oid::regprocedure::text AS granted_but_not_definer FROM pg_proc p
                  JOIN pg_namespace n ON n.oid = p.pronamespace, unnest(ARRAY['huddle_ingest', 'huddle_health',
                       'huddle_admin_api', 'huddle_rollup_worker', 'huddle_rollup_sweep', 'huddle_retention']) AS r
                 WHERE n.nspname IN ('huddle', 'huddle_api') AND has_function_privilege(r, p.oid, 'EXECUTE')
                   AND NOT (p.prosecdef AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig))""")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseRole.class)
    void eachRoleHasItsStatementTimeout_andOnlyTheMigratorMaySetRoleToTheOwner(DatabaseRole role) throws SQLException {
        DataSource login = database.login(role.roleName()).dataSource();
        assertThat(Db.value(login, "SELECT setting FROM pg_settings WHERE name = 'statement_timeout'"))
                .isEqualTo(Long.toString(role.statementTimeout().toMillis()));
        assertThat(Db.value(database.dataSource(), "SELECT pg_has_role(?, 'huddle_owner', 'MEMBER')::text", role.roleName()))
                .isEqualTo(role == DatabaseRole.MIGRATOR ? "true" : "false");
    }

    @Test
    void ensure_isIdempotent_andStoresPasswordsAsScramVerifiers() throws SQLException {
        DatabaseRoles.ensure(database.dataSource(), Map.of("huddle_health", "first-secret"));
        DatabaseRoles.ensure(database.dataSource(), Map.of("huddle_health", "second-secret"));

        assertThat(Db.value(database.dataSource(), "SELECT rolpassword FROM pg_authid WHERE rolname = 'huddle_health'"))
                .startsWith("SCRAM-SHA-256$").doesNotContain("second-secret");
        assertThatThrownBy(() -> DatabaseRoles.ensure(database.dataSource(), Map.of("postgres", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a login role of this service: postgres");
        Migrations.apply(database.dataSource());
        assertAllowed(DatabaseRole.HEALTH, "SELECT huddle_api.rollup_lag()");
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private static void assertDenied(DatabaseRole role, String sql) {
        assertDenied(role, sql, c -> execute(c, sql));
    }

    private static void assertDenied(DatabaseRole role, Work work) {
        assertDenied(role, "a procedure call", work);
    }

    private static void assertDenied(DatabaseRole role, String what, Work work) {
        assertThatThrownBy(() -> execute(role, work)).as("%s: %s", role.roleName(), what)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("%s: %s: %s", role.roleName(), what,
                        e.getMessage()).isEqualTo(DENIED));
    }

    private static void assertAllowed(DatabaseRole role, String sql) throws SQLException {
        execute(role, sql);
    }

    private static void assertAllowed(DatabaseRole role, Work work) throws SQLException {
        execute(role, work);
    }

    private static void execute(DatabaseRole role, String sql) throws SQLException {
        execute(role, c -> execute(c, sql));
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** In a transaction that is rolled back, so the checks change nothing. */
    private static void execute(DatabaseRole role, Work work) throws SQLException {
        try (Connection c = database.login(role.roleName()).dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
            } finally {
                c.rollback();
            }
        }
    }
}
