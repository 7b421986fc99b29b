package dev.huddle.rollup;

/** Runs one rollup job: folds in the org's next events and commits the rollups with the new position. */
@FunctionalInterface
public interface RollupWorker {

    /** processed events, and whether a backlog remains (the caller queues the next job). */
    record JobResult(int processed, boolean hasMore) {
    }

    /**
     * @throws Exception when the job failed; nothing was committed and running it again is safe
     */
    JobResult runJob(String orgId) throws Exception;
}
