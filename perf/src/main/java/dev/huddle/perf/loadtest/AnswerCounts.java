package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.huddle.common.Json;
import java.io.IOException;

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
