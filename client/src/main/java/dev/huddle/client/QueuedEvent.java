package dev.huddle.client;

import java.time.Instant;

/**
 * An event as stored in a queue: its id (to match the server's answer) and its JSON exactly as it will be
 * sent, so every retry sends the same bytes.
 */
record QueuedEvent(String eventId, byte[] json, Instant enqueuedAt) {
}
