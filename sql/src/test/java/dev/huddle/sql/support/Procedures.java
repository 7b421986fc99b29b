package dev.huddle.sql.support;

import dev.huddle.dbapi.AnalyticsInput;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProgressInput;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Calls the huddle_api procedures through {@link HuddleApi}, as the ingest Lambda does: one statement, autocommit. */
public final class Procedures {
    private final DataSource dataSource;

    public Procedures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Outcome> upsertProgress(String userId, List<ProgressInput> events) throws SQLException {
        return upsertProgress(userId, events, null);
    }

    public List<Outcome> upsertProgress(String userId, List<ProgressInput> events, Integer queueDepth)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return upsertProgress(connection, userId, events, queueDepth);
        }
    }

    public static List<Outcome> upsertProgress(Connection connection, String userId, List<ProgressInput> events,
            Integer queueDepth) throws SQLException {
        return HuddleApi.upsertProgressBatch(connection, userId, events, queueDepth).stream().map(Outcome::of).toList();
    }

    public List<Outcome> ingestAnalytics(String userId, List<AnalyticsInput> events) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return HuddleApi.ingestAnalyticsBatch(connection, userId, events, null, HuddleApi.DEFAULT_MAX_EVENT_NAMES)
                    .stream().map(Outcome::of).toList();
        }
    }
}
