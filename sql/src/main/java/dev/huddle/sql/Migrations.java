package dev.huddle.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the schema with Flyway: versioned migrations ({@code V*}) for tables and partitions,
 * repeatable ones ({@code R__*}) for the procedures in {@code huddle_api}, so procedures are versioned
 * apart from the tables. The same call serves the local stack, the tests and the deploy-time migration.
 */
public final class Migrations {
    /** Daily partitions kept behind today: the 30-day retention window plus a day of clock slack. */
    public static final int PARTITION_DAYS_BEHIND = 31;
    /** Daily partitions created ahead of today. */
    public static final int PARTITION_DAYS_AHEAD = 14;

    private Migrations() {
    }

    /**
     * Migrates the database, then tops up the daily event partitions around today. The V2 migration
     * creates the window once, on the day it runs; a database that lives longer (a local stack's data
     * directory, a deploy weeks later) gets the missing days here. In AWS a scheduled job calls the
     * same function daily.
     */
    public static MigrateResult apply(DataSource dataSource) {
        if (canCreateRoles(dataSource)) {
            DatabaseRoles.ensure(dataSource, Map.of());
        }
        MigrateResult result = flyway(dataSource).migrate();
        ensurePartitionsAroundToday(dataSource);
        return result;
    }

    /** The latest applied versioned migration (e.g. "4"), or empty on a database never migrated. */
    public static Optional<String> currentVersion(DataSource dataSource) {
        MigrationInfo current = flyway(dataSource).info().current();
        return current == null || current.getVersion() == null
                ? Optional.empty() : Optional.of(current.getVersion().getVersion());
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .schemas("huddle", "huddle_api")
                .createSchemas(true)
                .callbacks(new ActAsOwner())
                // V2 SELECTs ensure_event_partitions(); its result is not worth printing.
                .outputQueryResults(false)
                .load();
    }

    /**
     * Everything Flyway creates (schemas, tables, procedures, its history table) belongs to the owner role,
     * whoever logs in to migrate (huddle_migrator on AWS; the superuser in tests and the local stack): every
     * connection Flyway opens sets that role first. (Flyway's initSql did the same and is deprecated.)
     */
    private static final class ActAsOwner extends BaseCallback {
        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_CONNECT;
        }

        @Override
        public void handle(Event event, Context context) {
            try (Statement statement = context.getConnection().createStatement()) {
                statement.execute("SET ROLE " + DatabaseRole.OWNER);
            } catch (SQLException e) {
                throw new IllegalStateException("SET ROLE " + DatabaseRole.OWNER + " failed", e);
            }
        }
    }

    /**
     * True when the login may create roles (the RDS admin, a superuser): then {@link #apply} first ensures
     * the roles exist, so tests and the local stack, which migrate as the superuser, get them too.
     */
    private static boolean canCreateRoles(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user");
                var rows = statement.executeQuery()) {
            return rows.next() && rows.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the login's privileges failed", e);
        }
    }

    /** Creates the missing daily partitions for today - 31 .. today + 14 (UTC); returns how many. */
    public static int ensurePartitionsAroundToday(DataSource dataSource) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT huddle.ensure_event_partitions(?, ?)")) {
            statement.setObject(1, today.minusDays(PARTITION_DAYS_BEHIND));
            statement.setObject(2, today.plusDays(PARTITION_DAYS_AHEAD));
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating the daily event partitions failed", e);
        }
    }
}
