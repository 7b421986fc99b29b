package dev.huddle.client;

import java.util.List;

/**
 * Cuts a batch from the head of a queue: at most {@code maxEvents} events and at most {@code maxBodyBytes}
 * of request body {@code {"events":[e1,e2,...]}} measured before gzip, as the server measures it.
 * A single event larger than the byte limit still goes alone: the server's 413 then reports it rejected
 * instead of it blocking the queue forever.
 */
final class BatchCutter {
    static final int CONTRACT_MAX_EVENTS = 100;
    static final int CONTRACT_MAX_BODY_BYTES = 256 * 1024;
    /** {@code {"events":[]}}: what the body adds around the events, besides one comma between two. */
    static final int ENVELOPE_BYTES = "{\"events\":[]}".length();

    private final int maxEvents;
    private final int maxBodyBytes;

    BatchCutter(int maxEvents, int maxBodyBytes) {
        this.maxEvents = maxEvents;
        this.maxBodyBytes = maxBodyBytes;
    }

    static BatchCutter contractLimits() {
        return new BatchCutter(CONTRACT_MAX_EVENTS, CONTRACT_MAX_BODY_BYTES);
    }

    /** How many events from the head of {@code queued} go in the next batch (at least one unless empty). */
    int cut(List<QueuedEvent> queued) {
        long bodyBytes = ENVELOPE_BYTES;
        int count = 0;
        for (QueuedEvent event : queued) {
            long withEvent = bodyBytes + event.json().length + (count == 0 ? 0 : 1);
            if (count == maxEvents || (count > 0 && withEvent > maxBodyBytes)) {
                break;
            }
            bodyBytes = withEvent;
            count++;
        }
        return count;
    }

    int maxEvents() {
        return maxEvents;
    }
}
