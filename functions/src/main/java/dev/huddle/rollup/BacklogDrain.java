package dev.huddle.rollup;

import dev.huddle.dbapi.RollupJobResult;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Runs one org's rollup jobs back to back for one queue message, each job its own transaction of at
 * most ROLLUP_MAX_EVENTS events, while a backlog remains and the invocation has time left. A
 * continuation message would wait the queue's delay ({@link RollupJobQueue#QUEUE_DELAY_SECONDS}), so
 * a backlog is worked off here and a continuation is only the fallback when time or the job cap runs
 * out.
 */
final class BacklogDrain {
    /** Bounds one message's share of an invocation, so the other orgs of the batch are not starved. */
    static final int MAX_JOBS_PER_MESSAGE = 20;
    /** Left over after the next job for sending a continuation and answering the batch. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(5);

    /** The jobs run for one message, the events they rolled up, and whether a backlog remains. */
    record Outcome(int jobs, long processed, boolean hasMore) {
    }

    private final RollupWorker worker;
    private final int maxJobs;

    BacklogDrain(RollupWorker worker, int maxJobs) {
        if (maxJobs < 1) {
            throw new IllegalArgumentException("maxJobs must be at least 1: " + maxJobs);
        }
        this.worker = worker;
        this.maxJobs = maxJobs;
    }

    /**
     * Runs the first job always (the message asked for it), then another one only while the time left
     * covers the longest job seen so far plus the safety margin.
     *
     * @param remainingMillis the invocation's time left (Lambda's {@code Context.getRemainingTimeInMillis})
     * @throws Exception when a job failed; the jobs before it are committed, and running again is safe
     */
    Outcome drain(String orgId, LongSupplier remainingMillis) throws Exception {
        int jobs = 0;
        long processed = 0;
        long longestJobMillis = 0;
        while (true) {
            long started = System.nanoTime();
            RollupJobResult result = worker.runJob(orgId);
            longestJobMillis = Math.max(longestJobMillis, (System.nanoTime() - started) / 1_000_000);
            jobs++;
            processed += result.processed();
            if (!result.hasMore()) {
                return new Outcome(jobs, processed, false);
            }
            boolean timeForAnother = remainingMillis.getAsLong() > longestJobMillis + SAFETY_MARGIN.toMillis();
            if (jobs >= maxJobs || !timeForAnother) {
                return new Outcome(jobs, processed, true);
            }
        }
    }
}
