package dev.huddle.perf.bench;

import java.util.List;

/** The events of one learner that one API request carries (the procedure takes one learner per call). */
record BenchBatch(String userId, List<BenchEvent> events) {
    BenchBatch {
        events = List.copyOf(events);
    }
}
