package dev.huddle.dbapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** Writes a batch procedure's {@code p_events} parameter: the input records as one JSON array. */
final class ProcedureInput {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProcedureInput() {
    }

    static String json(List<?> events) {
        try {
            return MAPPER.writeValueAsString(events);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("procedure input could not be written as JSON", e);
        }
    }
}
