package dev.huddle.ingest;

import java.util.List;
import java.util.Set;

/**
 * What one event-store call wrote: an outcome per event (in the order given) and the orgs of the
 * accepted events, whose rollups now have new events to fold in.
 */
public record StoreResult(List<EventOutcome> outcomes, Set<String> orgIdsWithAcceptedEvents) {

    public StoreResult {
        outcomes = List.copyOf(outcomes);
        orgIdsWithAcceptedEvents = Set.copyOf(orgIdsWithAcceptedEvents);
    }
}
