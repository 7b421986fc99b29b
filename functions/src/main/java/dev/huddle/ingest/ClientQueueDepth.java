package dev.huddle.ingest;

import dev.huddle.common.http.HttpHeaders;
import java.util.OptionalInt;

/**
 * Reads {@code X-Client-Queue-Depth}: the number of events waiting in the client's offline queue. It is
 * advisory telemetry, so a missing, negative or garbled value is ignored rather than refused, and a value
 * above {@link #MAX_DEPTH} counts as {@code MAX_DEPTH}: no client queues more, and one learner's header
 * must not outweigh everyone else's in the health backlog (which also caps each learner's share; see
 * {@code health.PostgresHealthProbe}).
 */
final class ClientQueueDepth {
    static final String HEADER = "X-Client-Queue-Depth";
    /** The client library's largest offline queue (HuddleClient's default maxQueuedEvents). */
    static final int MAX_DEPTH = 10_000;
    /** Longer values are not read at all: no digit-by-digit scan of a header of kilobytes. */
    private static final int MAX_CHARS = 32;
    /** Nine digits always fit an int; a longer all-digit value is simply more than MAX_DEPTH. */
    private static final int MAX_PARSED_DIGITS = 9;

    private ClientQueueDepth() {
    }

    static OptionalInt from(HttpHeaders headers) {
        String value = headers.get(HEADER).orElse("");
        if (value.isEmpty() || value.length() > MAX_CHARS || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        if (value.length() > MAX_PARSED_DIGITS) {
            return OptionalInt.of(MAX_DEPTH);
        }
        return OptionalInt.of(Math.min(Integer.parseInt(value), MAX_DEPTH));
    }
}
