package dev.huddle.health;

import java.util.OptionalLong;

/** How many rollup jobs wait in the job queue, for health. Never throws: health must not fail for it. */
@FunctionalInterface
interface RollupQueueGauge {

    /**
     * @param depth the jobs in the queue (visible, in flight and delayed); empty when unknown
     * @param unreachable the queue did not answer (as opposed to: no queue configured)
     */
    record Reading(OptionalLong depth, boolean unreachable) {
        public static Reading of(long depth) {
            return new Reading(OptionalLong.of(depth), false);
        }

        public static Reading notConfigured() {
            return new Reading(OptionalLong.empty(), false);
        }

        public static Reading failed() {
            return new Reading(OptionalLong.empty(), true);
        }
    }

    Reading read();

    /** Wiring without ROLLUP_QUEUE_URL: nothing to read. */
    static RollupQueueGauge notConfigured() {
        return Reading::notConfigured;
    }
}
