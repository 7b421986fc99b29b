package dev.huddle.sql;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the schema with Flyway: versioned migrations ({@code V*}) for tables and partitions,
 * repeatable ones ({@code R__*}) for the procedures in {@code huddle_api}, so procedures are versioned
 * apart from the tables. The same call serves the local stack, the tests and the deploy-time migration.
 */
public final class Migrations {
    private Migrations() {
    }

    public static MigrateResult apply(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .schemas("huddle", "huddle_api")
                .createSchemas(true)
                .load()
                .migrate();
    }
}
