package dev.huddle.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.Json;
import dev.huddle.common.db.DatabaseConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Writes a batch with exactly ONE round trip: one call of the {@code huddle_api} procedure in autocommit,
 * the events as one JSON array parameter. The procedure is idempotent (keyed by user, eventId,
 * occurredAt), which is what makes the stale-connection retry of {@link DatabaseConnection} safe.
 */
public final class PostgresEventStore implements EventStore {
    private static final String UPSERT_PROGRESS =
            "select idx, event_id, status, reason, org_id from huddle_api.upsert_progress_batch(?, ?::jsonb, ?)";
    private static final String INGEST_ANALYTICS =
            "select idx, event_id, status, reason, org_id from huddle_api.ingest_analytics_batch(?, ?::jsonb, ?, ?)";
    /** The procedure's own default of p_max_event_names (R__api_20), for stores built without an IngestConfig. */
    static final int DEFAULT_MAX_EVENT_NAMES = 1_000;

    private final DatabaseConnection database;
    private final int maxEventNamesPerOrgDay;

    public PostgresEventStore(DatabaseConnection database) {
        this(database, DEFAULT_MAX_EVENT_NAMES);
    }

    public PostgresEventStore(DatabaseConnection database, int maxEventNamesPerOrgDay) {
        this.database = database;
        this.maxEventNamesPerOrgDay = maxEventNamesPerOrgDay;
    }

    static PostgresEventStore fromConfig(IngestConfig config) {
        return new PostgresEventStore(DatabaseConnection.fromConfig(config.database(), config.aws(),
                config.database().connectTimeout(), config.database().statementTimeout(), "huddle-ingest"),
                config.maxEventNamesPerOrgDay());
    }

    @Override
    public StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt clientQueueDepth) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (ProgressEvent e : events) {
            array.addObject()
                    .put("eventId", e.eventId())
                    .put("type", e.type().wireName())
                    .put("courseId", e.courseId())
                    .put("lessonId", e.lessonId())
                    .put("progressPercent", e.progressPercent())
                    .put("timeSpentSeconds", e.timeSpentSeconds())
                    .put("occurredAt", e.occurredAt().toString());
        }
        return call(UPSERT_PROGRESS, userId, array, clientQueueDepth, null);
    }

    @Override
    public StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt clientQueueDepth) {
        ArrayNode array = Json.mapper().createArrayNode();
        for (AnalyticsEvent e : events) {
            ObjectNode element = array.addObject()
                    .put("eventId", e.eventId())
                    .put("name", e.name());
            if (e.courseId() != null) {
                element.put("courseId", e.courseId());
            }
            if (e.lessonId() != null) {
                element.put("lessonId", e.lessonId());
            }
            if (e.properties() != null) {
                element.set("properties", e.properties());
            }
            element.put("occurredAt", e.occurredAt().toString());
        }
        return call(INGEST_ANALYTICS, userId, array, clientQueueDepth, maxEventNamesPerOrgDay);
    }

    /** {@code maxEventNames}: the 4th parameter of the analytics procedure; null for progress (3 parameters). */
    private StoreResult call(String sql, String userId, ArrayNode events, OptionalInt clientQueueDepth,
                             Integer maxEventNames) {
        String eventsJson = toJson(events);
        try {
            return database.execute(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setString(1, userId);
                    statement.setString(2, eventsJson);
                    if (clientQueueDepth.isPresent()) {
                        statement.setInt(3, clientQueueDepth.getAsInt());
                    } else {
                        statement.setNull(3, Types.INTEGER);
                    }
                    if (maxEventNames != null) {
                        statement.setInt(4, maxEventNames);
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        return result(rows);
                    }
                }
            });
        } catch (SQLException e) {
            throw new EventStoreException(e.getSQLState(), e);
        }
    }

    private static StoreResult result(ResultSet rows) throws SQLException {
        List<EventOutcome> outcomes = new ArrayList<>();
        Set<String> orgIds = new HashSet<>();
        while (rows.next()) {
            String orgId = rows.getString("org_id");  // set for accepted events only
            if (orgId != null) {
                orgIds.add(orgId);
            }
            int index = rows.getInt("idx");
            String eventId = rows.getString("event_id");
            String status = rows.getString("status");
            outcomes.add(switch (status) {
                case "accepted" -> EventOutcome.accepted(eventId, index);
                case "duplicate" -> EventOutcome.duplicate(eventId, index);
                case "rejected" -> EventOutcome.rejected(eventId, index, rows.getString("reason"));
                default -> throw new IllegalStateException("unknown status from the procedure: " + status);
            });
        }
        return new StoreResult(outcomes, orgIds);
    }

    private static String toJson(ArrayNode events) {
        try {
            return Json.mapper().writeValueAsString(events);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("validated events could not be serialized", e);
        }
    }
}
