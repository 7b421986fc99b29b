package dev.huddle.dbapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * A batch procedure's {@code p_events} parameter: the input records written once as one JSON array. The
 * {@link HuddleApi} calls taking a list write it per call, as the ingest Lambda does; the benchmark writes
 * its batches up front so that it times the database path alone.
 *
 * @param <T> {@link ProgressInput} or {@link AnalyticsInput}
 */
public final class ProcedureInput<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String json;
    private final int size;

    private ProcedureInput(String json, int size) {
        this.json = json;
        this.size = size;
    }

    public static <T> ProcedureInput<T> of(List<T> events) {
        try {
            return new ProcedureInput<>(MAPPER.writeValueAsString(events), events.size());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("procedure input could not be written as JSON", e);
        }
    }

    /** The number of events, which is also the number of status rows the procedure answers. */
    public int size() {
        return size;
    }

    String json() {
        return json;
    }
}
