package dev.huddle.perf.loadtest;

import java.time.Duration;

/**
 * Something done at a moment of a run, with a progress line: an outage starting or ending (also shown in the
 * report), or a plan starting (the warm-up's parts, the measured run).
 */
record TimedAction(Duration at, String label, Runnable action) {
}
