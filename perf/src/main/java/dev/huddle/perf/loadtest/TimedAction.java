package dev.huddle.perf.loadtest;

import java.time.Duration;

/** Something done to the stack at a moment of the run (an outage starting or ending), shown in the report. */
record TimedAction(Duration at, String label, Runnable action) {
}
