package dev.huddle.ingest;

import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.dbapi.DailyQuotaCharge;
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
 * <p>A {@code quota} charge, when given, is added to the learner's usage of the day in the same call: over the
 * quota the call writes nothing and throws {@link DailyQuotaExceededException}.
 *
 * @throws DependencyUnavailableException when the database is down, slow or overloaded; nothing written
 */
interface EventStore {

    /** {@code quota}: the request's charge to its learner's daily quota, or null for none. */
    StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt clientQueueDepth,
            DailyQuotaCharge quota);

    /** {@code quota}: as for progress. */
    StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt clientQueueDepth,
            DailyQuotaCharge quota);

    /** Without a quota charge (tools and tests that only store events). */
    default StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt clientQueueDepth) {
        return storeProgress(userId, events, clientQueueDepth, null);
    }

    /** Without a quota charge. */
    default StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt clientQueueDepth) {
        return storeAnalytics(userId, events, clientQueueDepth, null);
    }
}
