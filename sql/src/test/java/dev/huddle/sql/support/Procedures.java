package dev.huddle.sql.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Calls the huddle_api procedures the way the ingest Lambda does: one statement, autocommit. */
public final class Procedures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public Procedures(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<Outcome> upsertProgress(String userId, List<ProgressEvent> events) throws SQLException {
        return upsertProgress(userId, events, null);
    }

    public List<Outcome> upsertProgress(String userId, List<ProgressEvent> events, Integer queueDepth)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return upsertProgress(connection, userId, events, queueDepth);
        }
    }

    public static List<Outcome> upsertProgress(Connection connection, String userId, List<ProgressEvent> events,
            Integer queueDepth) throws SQLException {
        return call(connection, "huddle_api.upsert_progress_batch", userId, progressJson(events), queueDepth);
    }

    /** Analytics events as maps (keys as in the contract), so tests can leave optional fields out. */
    public List<Outcome> ingestAnalytics(String userId, List<Map<String, Object>> events) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return call(connection, "huddle_api.ingest_analytics_batch", userId, JSON.valueToTree(events).toString(),
                    null);
        }
    }

    public static String progressJson(List<ProgressEvent> events) {
        ArrayNode array = JSON.createArrayNode();
        for (ProgressEvent e : events) {
            ObjectNode node = array.addObject();
            node.put("eventId", e.eventId());
            node.put("type", e.type());
            node.put("courseId", e.courseId());
            node.put("lessonId", e.lessonId());
            node.put("progressPercent", e.progressPercent());
            node.put("timeSpentSeconds", e.timeSpentSeconds());
            node.put("occurredAt", e.occurredAt().toString());
        }
        return array.toString();
    }

    private static List<Outcome> call(Connection connection, String function, String userId, String eventsJson,
            Integer queueDepth) throws SQLException {
        try (PreparedStatement call = connection.prepareStatement(
                "SELECT idx, event_id, status, reason FROM " + function + "(?, ?::jsonb, ?)")) {
            call.setString(1, userId);
            call.setString(2, eventsJson);
            if (queueDepth == null) {
                call.setNull(3, Types.INTEGER);
            } else {
                call.setInt(3, queueDepth);
            }
            List<Outcome> outcomes = new ArrayList<>();
            try (ResultSet rows = call.executeQuery()) {
                while (rows.next()) {
                    outcomes.add(new Outcome(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                }
            }
            return outcomes;
        }
    }
}
