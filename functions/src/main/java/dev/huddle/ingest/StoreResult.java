package dev.huddle.ingest;

import java.util.List;
import java.util.Map;

/**
 * What one event-store call wrote: an outcome per event (in the order given), and the orgs of the accepted
 * events whose rollup job this call claimed, each with its fan-out bucket. An org with new events but no claim
 * here is in the job another request of the same bucket claimed (sql/.../R__api_06_rollup_fanout.sql).
 */
public record StoreResult(List<EventOutcome> outcomes, Map<String, Long> rollupBucketsClaimed) {

    public StoreResult {
        outcomes = List.copyOf(outcomes);
        rollupBucketsClaimed = Map.copyOf(rollupBucketsClaimed);
    }
}
