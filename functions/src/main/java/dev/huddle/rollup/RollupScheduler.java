package dev.huddle.rollup;

import java.util.Set;

/**
 * The sweep: queues a job for every org whose events go beyond its rollup cursor. It is what makes the
 * fan-out message optional - a lost send, a job that ended just before more events committed, a
 * message that went to the DLQ - the next sweep finds the org again. On AWS an EventBridge rule runs
 * it every minute ({@link RollupSchedulerHandler}); the local stack calls {@link #sweep()} on a timer.
 */
final class RollupScheduler {
    private final PendingRollups pending;
    private final RollupJobQueue queue;

    public RollupScheduler(PendingRollups pending, RollupJobQueue queue) {
        this.pending = pending;
        this.queue = queue;
    }

    /**
     * Answers the orgs it queued jobs for; throws when the database failed, or when some job could not be
     * sent after every org was tried (an org whose id is not an Identifier is left out and counted, see
     * {@link RollupJobQueue}: it never stops the sweep for the others).
     */
    public Set<String> sweep() throws Exception {
        Set<String> orgs = pending.orgsWithPendingEvents();
        return orgs.isEmpty() ? orgs : queue.enqueue(orgs);
    }
}
