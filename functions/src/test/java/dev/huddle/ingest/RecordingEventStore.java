package dev.huddle.ingest;

import dev.huddle.dbapi.DailyQuotaCharge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A fake store that records every call and answers like the procedure would: accepted unless a verdict
 * for the eventId says "duplicate" or names a rejection reason.
 */
final class RecordingEventStore implements EventStore {
    record Call(String userId, List<?> events, OptionalInt clientQueueDepth, DailyQuotaCharge quota) {
    }

    final List<Call> calls = new ArrayList<>();
    private final Map<String, String> verdicts = new HashMap<>();
    private RuntimeException failure;
    private String orgOfAccepted = "org-1";
    /** The fan-out bucket every call with accepted events claims for their org, as a first request of it. */
    static final long CLAIMED_BUCKET = 7L;
    private Duration delay = Duration.ZERO;
    private boolean quotaUsedUp;

    /** The org every accepted event is reported in. */
    RecordingEventStore orgOfAccepted(String orgId) {
        this.orgOfAccepted = orgId;
        return this;
    }

    RecordingEventStore verdict(String eventId, String duplicateOrReason) {
        verdicts.put(eventId, duplicateOrReason);
        return this;
    }

    /** Every call takes at least this long: a slow database, as the caller's clock sees it. */
    RecordingEventStore delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /** Every charged call is refused as the database refuses a charge past the quota. */
    RecordingEventStore quotaUsedUp() {
        this.quotaUsedUp = true;
        return this;
    }

    RecordingEventStore failWith(RuntimeException e) {
        this.failure = e;
        return this;
    }

    @Override
    public StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt depth,
            DailyQuotaCharge quota) {
        return record(userId, events, depth, quota, ProgressEvent::eventId);
    }

    @Override
    public StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt depth,
            DailyQuotaCharge quota) {
        return record(userId, events, depth, quota, AnalyticsEvent::eventId);
    }

    private <T> StoreResult record(String userId, List<T> events, OptionalInt depth, DailyQuotaCharge quota,
            Function<T, String> id) {
        calls.add(new Call(userId, List.copyOf(events), depth, quota));
        SlowCalls.take(delay);
        if (failure != null) {
            throw failure;
        }
        if (quotaUsedUp && quota != null) {
            throw new DailyQuotaExceededException(null);
        }
        List<EventOutcome> outcomes = new ArrayList<>();
        Map<String, Long> claimed = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            String eventId = id.apply(events.get(i));
            String verdict = verdicts.get(eventId);
            if (verdict == null) {
                outcomes.add(EventOutcome.accepted(eventId, i));
                claimed.put(orgOfAccepted, CLAIMED_BUCKET);
            } else if (verdict.equals("duplicate")) {
                outcomes.add(EventOutcome.duplicate(eventId, i));
            } else {
                outcomes.add(EventOutcome.rejected(eventId, i, verdict));
            }
        }
        return new StoreResult(outcomes, claimed);
    }
}
