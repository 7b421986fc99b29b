package dev.huddle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an answer body against the contract (openapi.yaml, schemas {@code BatchResult} and {@code Error}).
 * Only a body that is exactly what the API would send counts as a verdict on events: a captive portal, a
 * proxy's HTML page or another service behind a catch-all route answers too, and must never make events leave
 * the queue.
 */
final class AnswerReader {
    /** The error codes with which the API refuses a whole batch for good, by status (functions' ErrorCode). */
    private static final Map<Integer, Set<String>> REFUSAL_CODES = Map.of(
            400, Set.of("invalid_json", "invalid_shape"),
            413, Set.of("payload_too_large", "too_many_events"),
            415, Set.of("unsupported_media_type", "unsupported_encoding"));

    private AnswerReader() {
    }

    /**
     * The rejected events of a 200, present only when the body is a {@code BatchResult} that lists every event
     * of {@code batch} exactly once: each rejected entry by its index (and eventId, when it names one), every
     * other event by its eventId in {@code accepted} or {@code duplicates}, and nothing more.
     */
    static Optional<List<RejectedEvent>> verdicts(QueueName queue, List<QueuedEvent> batch, byte[] body) {
        JsonNode tree = readTree(body);
        JsonNode accepted = tree.path("accepted");
        JsonNode duplicates = tree.path("duplicates");
        JsonNode rejected = tree.path("rejected");
        if (!accepted.isArray() || !duplicates.isArray() || !rejected.isArray()
                || accepted.size() + duplicates.size() + rejected.size() != batch.size()) {
            return Optional.empty();
        }
        boolean[] answered = new boolean[batch.size()];
        List<RejectedEvent> refused = new ArrayList<>();
        for (JsonNode entry : rejected) {
            JsonNode index = entry.path("index");
            if (!index.canConvertToInt() || !index.isIntegralNumber() || index.asInt() < 0
                    || index.asInt() >= batch.size() || answered[index.asInt()] || !entry.path("reason").isTextual()) {
                return Optional.empty();
            }
            String eventId = batch.get(index.asInt()).eventId();
            JsonNode namedId = entry.path("eventId");
            if (namedId.isTextual() && !namedId.asText().equals(eventId)) {
                return Optional.empty();
            }
            answered[index.asInt()] = true;
            refused.add(new RejectedEvent(queue, eventId, entry.path("reason").asText()));
        }
        Map<String, Integer> listed = new HashMap<>();
        for (JsonNode list : List.of(accepted, duplicates)) {
            for (JsonNode id : list) {
                if (!id.isTextual()) {
                    return Optional.empty();
                }
                listed.merge(id.asText(), 1, Integer::sum);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            String eventId = batch.get(i).eventId();
            if (!answered[i] && (eventId == null || listed.merge(eventId, -1, Integer::sum) < 0)) {
                return Optional.empty();
            }
        }
        return Optional.of(refused);
    }

    /** The contract's error code when {@code status} refuses a batch for good and the body is the API's error. */
    static Optional<String> refusalCode(int status, byte[] body) {
        Set<String> codes = REFUSAL_CODES.getOrDefault(status, Set.of());
        JsonNode tree = readTree(body);
        return tree.path("message").isTextual() ? errorCode(tree).filter(codes::contains) : Optional.empty();
    }

    /**
     * The {@code error} field of a JSON body, if it has a short one: for reports, which never carry the body
     * or its message (an answer may echo learner data).
     */
    static Optional<String> errorCode(byte[] body) {
        return errorCode(readTree(body));
    }

    private static Optional<String> errorCode(JsonNode tree) {
        JsonNode error = tree.path("error");
        return error.isTextual() && error.asText().length() <= 64 ? Optional.of(error.asText()) : Optional.empty();
    }

    private static JsonNode readTree(byte[] body) {
        try {
            JsonNode tree = EventCodec.MAPPER.readTree(body);
            return tree == null ? EventCodec.MAPPER.missingNode() : tree;
        } catch (IOException notJson) {
            return EventCodec.MAPPER.missingNode();
        }
    }
}
