package dev.huddle.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.huddle.common.db.DbCredentials;
import dev.huddle.common.observability.LogSink;
import dev.huddle.devservers.SimpleDataSource;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.sql.Migrations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class MigrationHandlerTest {
    private static final String CREATE = "events/cfn_custom_resource_migrations_create.json";
    private static final String UPDATE = "events/cfn_custom_resource_migrations_update.json";
    private static final String DELETE = "events/cfn_custom_resource_migrations_delete.json";

    private final DataSource database = TestPostgres.newDatabase().dataSource();
    private final List<String> logLines = new ArrayList<>();
    private final MigrationHandler handler = withoutRolePasswords(() -> database, logLines::add);

    @Test
    void migratesAndReportsTheSchemaVersion_onCreate() throws SQLException {
        Map<String, Object> response = handler.handleRequest(event(CREATE), null);

        String latest = Migrations.currentVersion(database).orElseThrow();
        assertThat(response).containsEntry("PhysicalResourceId", "huddle-schema")
                .containsEntry("Data", Map.of("SchemaVersion", latest));
        assertThat(functionsIn("huddle_api")).contains("upsert_progress_batch", "ingest_analytics_batch");
        assertThat(logLines).singleElement().asString().contains("\"requestType\":\"Create\"");
    }

    @Test
    void isHarmless_whenCreateRunsTwice() throws SQLException {
        Map<String, Object> first = handler.handleRequest(event(CREATE), null);
        long appliedAfterFirst = appliedMigrations();

        Map<String, Object> second = handler.handleRequest(event(CREATE), null);

        assertThat(second).isEqualTo(first);
        assertThat(appliedMigrations()).isEqualTo(appliedAfterFirst);
    }

    @Test
    void keepsThePhysicalId_onUpdate() {
        handler.handleRequest(event(CREATE), null);

        Map<String, Object> response = handler.handleRequest(event(UPDATE), null);

        assertThat(response).containsEntry("PhysicalResourceId", "huddle-schema").containsKey("Data");
    }

    @Test
    void leavesTheSchema_onDelete() throws SQLException {
        handler.handleRequest(event(CREATE), null);

        Map<String, Object> response = handler.handleRequest(event(DELETE), null);

        assertThat(response).isEqualTo(Map.of("PhysicalResourceId", "huddle-schema"));
        assertThat(functionsIn("huddle_api")).contains("upsert_progress_batch");
    }

    @Test
    void doesNotTouchTheDatabase_onDeleteOfAResourceNeverCreated() {
        MigrationHandler unreachable = withoutRolePasswords(() -> {
            throw new AssertionError("Delete must not connect");
        }, logLines::add);

        assertThat(unreachable.handleRequest(event(DELETE), null)).containsEntry("PhysicalResourceId", "huddle-schema");
    }

    @Test
    void throwsSoCloudFormationRollsBack_whenTheDatabaseCannotBeMigrated() {
        TestPostgres.Database db = TestPostgres.newDatabase();
        PGSimpleDataSource missingDatabase = new PGSimpleDataSource();
        missingDatabase.setURL(db.jdbcUrl().replace(db.name(), db.name() + "_missing"));
        missingDatabase.setUser(db.user());
        missingDatabase.setPassword(db.password());
        MigrationHandler failing = withoutRolePasswords(() -> missingDatabase, logLines::add);

        assertThatThrownBy(() -> failing.handleRequest(event(CREATE), null))
                .isInstanceOf(RuntimeException.class);
        assertThat(logLines).isEmpty();
    }

    @Test
    void setsEachRolesPasswordFromItsSecret_andMigratesAsTheMigrator_soTheOwnerOwnsEverything() throws SQLException {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Map<String, DbCredentials> secrets = Map.of(
                "huddle_migrator", new DbCredentials("huddle_migrator", "migrator-secret-1"),
                "huddle_ingest", new DbCredentials("huddle_ingest", "ingest-secret-1"));
        List<String> migratedAs = new ArrayList<>();
        MigrationHandler withRoles = new MigrationHandler(db::dataSource, () -> secrets, credentials -> {
            migratedAs.add(credentials.user());
            return new SimpleDataSource(db.jdbcUrl(), credentials.user(), credentials.password());
        }, logLines::add);

        withRoles.handleRequest(event(CREATE), null);

        assertThat(migratedAs).containsExactly("huddle_migrator");
        assertThat(count(db.dataSource(), "select count(*) from pg_authid where rolname in ('huddle_migrator', 'huddle_ingest')"
                + " and rolpassword like 'SCRAM-SHA-256$%'")).isEqualTo(2);
        assertThat(count(db.dataSource(), "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where n.nspname in ('huddle', 'huddle_api') and c.relowner <> 'huddle_owner'::regrole")).isZero();
        assertThat(String.join("\n", logLines)).doesNotContain("secret-1");
    }

    @Test
    void refusesASecretThatNamesAnotherUser() {
        TestPostgres.Database db = TestPostgres.newDatabase();
        MigrationHandler mixedUp = new MigrationHandler(db::dataSource,
                () -> Map.of("huddle_ingest", new DbCredentials("huddle_health", "x")), c -> db.dataSource(), logLines::add);

        assertThatThrownBy(() -> mixedUp.handleRequest(event(CREATE), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the secret of role huddle_ingest names another user: huddle_health");
    }

    @Test
    void rejectsAnUnknownRequestType() {
        assertThatThrownBy(() -> handler.handleRequest(Map.of("RequestType", "Rename"), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown custom resource RequestType: Rename");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> event(String file) {
        return EventLoader.loadEvent(file, Map.class);
    }

    private long appliedMigrations() throws SQLException {
        return count("select count(*) from huddle.flyway_schema_history where success");
    }

    private List<String> functionsIn(String schema) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
                ResultSet rows = st.executeQuery("select p.proname from pg_proc p join pg_namespace n"
                        + " on n.oid = p.pronamespace where n.nspname = '" + schema + "'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private long count(String sql) throws SQLException {
        return count(database, sql);
    }

    private static long count(DataSource database, String sql) throws SQLException {
        try (Connection c = database.getConnection(); Statement st = c.createStatement();
                ResultSet rows = st.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** {@code database} is asked once per Create or Update and migrates without role passwords. */
    private static MigrationHandler withoutRolePasswords(Supplier<DataSource> database, LogSink logSink) {
        return new MigrationHandler(database, Map::of, credentials -> database.get(), logSink);
    }
}
