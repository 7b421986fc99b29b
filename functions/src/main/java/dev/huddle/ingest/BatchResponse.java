package dev.huddle.ingest;

import java.util.List;

/**
 * The 200 body: every event of the request in exactly one list, in request order. Rejected entries carry
 * the index in the request so that events without a usable id can be matched.
 */
record BatchResponse(List<String> accepted, List<String> duplicates, List<Rejected> rejected) {

    record Rejected(String eventId, int index, String reason) {
    }

    static BatchResponse of(List<EventOutcome> outcomes) {
        List<String> accepted = outcomes.stream()
                .filter(o -> o.status() == EventOutcome.Status.ACCEPTED).map(EventOutcome::eventId).toList();
        List<String> duplicates = outcomes.stream()
                .filter(o -> o.status() == EventOutcome.Status.DUPLICATE).map(EventOutcome::eventId).toList();
        List<Rejected> rejected = outcomes.stream()
                .filter(o -> o.status() == EventOutcome.Status.REJECTED)
                .map(o -> new Rejected(o.eventId(), o.index(), o.reason())).toList();
        return new BatchResponse(accepted, duplicates, rejected);
    }
}
