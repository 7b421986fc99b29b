package dev.huddle.perf.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The generator's own batch bodies, {@code {"events":[...]}} as {@link EventBodies} writes them, joined as
 * bytes. At {@code --rate 2000} about 1,200 planned requests a second join a waiting retry; joined through
 * Jackson trees (the whole body parsed and written again at each join, on the thread that sends the plan)
 * they were a large part of the generator's 110 MB of garbage a second, whose collections paused the sending
 * thread and every answer for up to 115 ms (docs/PERFORMANCE.md, "The generator's garbage").
 */
final class BatchBodies {
    private static final byte[] PREFIX = "{\"events\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SUFFIX = "]}".getBytes(StandardCharsets.UTF_8);

    private BatchBodies() {
    }

    /** One batch with the events of every body, in order; each body is one {@link EventBodies} wrote. */
    static byte[] join(List<byte[]> bodies) {
        if (bodies.size() == 1) {
            return bodies.get(0);
        }
        int length = PREFIX.length + SUFFIX.length + bodies.size() - 1;
        for (byte[] body : bodies) {
            length += eventsLength(body);
        }
        byte[] joined = Arrays.copyOf(PREFIX, length);
        int at = PREFIX.length;
        for (byte[] body : bodies) {
            if (at > PREFIX.length) {
                joined[at++] = ',';
            }
            // Checked in the loop above: what lies between the prefix and the suffix is the events.
            int events = body.length - PREFIX.length - SUFFIX.length;
            System.arraycopy(body, PREFIX.length, joined, at, events);
            at += events;
        }
        System.arraycopy(SUFFIX, 0, joined, at, SUFFIX.length);
        return joined;
    }

    /** The length of the body's events between its brackets; a body of any other shape is the generator's bug. */
    private static int eventsLength(byte[] body) {
        int events = body.length - PREFIX.length - SUFFIX.length;
        if (events < 1 || !Arrays.equals(body, 0, PREFIX.length, PREFIX, 0, PREFIX.length)
                || !Arrays.equals(body, body.length - SUFFIX.length, body.length, SUFFIX, 0, SUFFIX.length)) {
            throw new IllegalStateException("not a batch body of the generator's: "
                    + new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8));
        }
        return events;
    }

    /** The event ids in a request body ({@code {"events":[{"eventId":...}]}} or one event). */
    static List<String> eventIds(byte[] body) {
        try {
            JsonNode root = Json.mapper().readTree(body);
            JsonNode events = root.has("events") ? root.get("events") : Json.mapper().createArrayNode().add(root);
            List<String> ids = new ArrayList<>();
            events.forEach(event -> ids.add(event.path("eventId").asText()));
            return ids;
        } catch (IOException e) {
            throw new IllegalStateException("the generator's own body is not JSON", e);
        }
    }
}
