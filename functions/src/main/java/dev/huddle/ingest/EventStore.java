package dev.huddle.ingest;

import dev.huddle.common.DependencyUnavailableException;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where validated events are written: one call, one database round trip, all or nothing.
 *
 * <p>The result carries the orgs of the accepted events (the ingest path queues their rollups).
 * Outcomes come back in the order of {@code events}; the {@code index} of each is the position in the
 * given list (callers map it back to the request). Statuses the store decides: accepted, duplicate (the
 * (user, eventId, occurredAt) key was stored before, or earlier in the same list), and rejected with
 * {@code no_assignment} or {@code unknown_lesson}.
 *
 * @throws DependencyUnavailableException when the database is down, slow or overloaded; nothing written
 */
interface EventStore {

    StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt clientQueueDepth);

    StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt clientQueueDepth);
}
