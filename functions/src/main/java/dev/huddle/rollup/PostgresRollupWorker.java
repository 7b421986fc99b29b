package dev.huddle.rollup;

import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.RollupJobResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rollup jobs over JDBC: {@code huddle_api.run_rollup_job} in one transaction per job (through
 * {@link HuddleApi}), and the sweep's query for orgs with events beyond their cursor. A job is safe to repeat (it starts from the
 * committed cursor), which is what makes the connection's one retry after a dead socket safe here.
 */
public final class PostgresRollupWorker implements RollupWorker, PendingRollups {
    private static final String PENDING = "select org_id from huddle_api.orgs_with_pending_rollups()";

    private final DatabaseConnection database;
    private final int maxEvents;

    public PostgresRollupWorker(DatabaseConnection database, int maxEvents) {
        this.database = database;
        this.maxEvents = maxEvents;
    }

    static PostgresRollupWorker fromConfig(RollupConfig config) {
        return new PostgresRollupWorker(DatabaseConnection.fromConfig(config.database(), config.aws(),
                config.database().connectTimeout(), config.statementTimeout(), "huddle-rollup"), config.maxEvents());
    }

    @Override
    public RollupJobResult runJob(String orgId) throws SQLException {
        return database.execute(connection -> HuddleApi.runRollupJob(connection, orgId, maxEvents));
    }

    @Override
    public Set<String> orgsWithPendingEvents() throws SQLException {
        return database.execute(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(PENDING);
                 ResultSet rows = statement.executeQuery()) {
                List<String> orgs = new ArrayList<>();
                while (rows.next()) {
                    orgs.add(rows.getString(1));
                }
                return new LinkedHashSet<>(orgs);
            }
        });
    }
}
