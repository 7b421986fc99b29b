package dev.huddle.rollup;

import java.time.LocalDate;
import java.util.Map;

/** One org's rolled-up figures of one UTC day; {@code events} counts events by name. */
record DailyRollup(
        LocalDate day,
        long activeLearners,
        long lessonsCompleted,
        long coursesCompleted,
        long timeSpentSeconds,
        long eventsTotal,
        Map<String, Long> events) {

    public DailyRollup {
        events = Map.copyOf(events);
    }

    public static DailyRollup empty(LocalDate day) {
        return new DailyRollup(day, 0, 0, 0, 0, 0, Map.of());
    }
}
