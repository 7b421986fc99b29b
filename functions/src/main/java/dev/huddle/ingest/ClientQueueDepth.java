package dev.huddle.ingest;

import dev.huddle.common.http.HttpHeaders;
import java.util.OptionalInt;

/**
 * Reads {@code X-Client-Queue-Depth}: the number of events waiting in the client's offline queue. It is
 * advisory telemetry, so a missing, negative or garbled value is ignored rather than refused.
 */
final class ClientQueueDepth {
    static final String HEADER = "X-Client-Queue-Depth";
    /** Nine digits always fit an int; longer values are garbage for a queue depth anyway. */
    private static final int MAX_DIGITS = 9;

    private ClientQueueDepth() {
    }

    static OptionalInt from(HttpHeaders headers) {
        String value = headers.get(HEADER).orElse("");
        if (value.isEmpty() || value.length() > MAX_DIGITS || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(value));
    }
}
