package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * How many events a 200 answer lists as accepted, duplicates and rejected (openapi.yaml's BatchResult),
 * counted from the token stream: the generator needs the three counts only, and a tree of every answer's
 * event ids was garbage it collected while answers waited (see {@link BatchBodies}).
 */
record AnswerCounts(int accepted, int duplicates, int rejected) {

    static AnswerCounts read(byte[] answer) throws IOException {
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        try (JsonParser parser = Json.mapper().getFactory().createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "a batch answer is a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                int elements = parser.nextToken() == JsonToken.START_ARRAY ? elements(parser) : skip(parser);
                switch (field) {
                    case "accepted" -> accepted = elements;
                    case "duplicates" -> duplicates = elements;
                    case "rejected" -> rejected = elements;
                    default -> { }
                }
            }
        }
        return new AnswerCounts(accepted, duplicates, rejected);
    }

    /**
     * The counts of an answer to a batch that carries events of several plans, one per plan: each event the
     * answer lists goes to the plan its id names ({@code planOf}: the plan's index, or -1 for none). Such
     * batches come only where one plan follows another (a learner's waiting retry takes the next plan's
     * flush), a few thousand answers in a run, so this reads a tree.
     */
    static List<AnswerCounts> byPlan(byte[] answer, ToIntFunction<String> planOf, int plans) throws IOException {
        JsonNode root = Json.mapper().readTree(answer);
        int[][] counts = new int[plans][3];
        String[] lists = {"accepted", "duplicates", "rejected"};
        for (int list = 0; list < lists.length; list++) {
            for (JsonNode element : root.path(lists[list])) {
                // accepted and duplicates list event ids; rejected lists objects with their eventId.
                String eventId = element.isTextual() ? element.asText() : element.path("eventId").asText(null);
                int plan = eventId == null ? -1 : planOf.applyAsInt(eventId);
                if (plan < 0) {
                    throw new IOException("the answer lists an event of none of the plans: " + element);
                }
                counts[plan][list]++;
            }
        }
        List<AnswerCounts> byPlan = new ArrayList<>(plans);
        for (int[] plan : counts) {
            byPlan.add(new AnswerCounts(plan[0], plan[1], plan[2]));
        }
        return byPlan;
    }

    /** Counts the elements of the array the parser is at, and moves past it. */
    private static int elements(JsonParser parser) throws IOException {
        int elements = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == null) {
                throw new JsonParseException(parser, "the answer ends inside an array");
            }
            parser.skipChildren();
            elements++;
        }
        return elements;
    }

    /** Moves past a value that is not an array: it lists no events. */
    private static int skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return 0;
    }
}
