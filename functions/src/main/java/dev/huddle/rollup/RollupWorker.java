package dev.huddle.rollup;

import dev.huddle.dbapi.RollupJobResult;

/** Runs one rollup job: folds in the org's next events and commits the rollups with the new position. */
@FunctionalInterface
public interface RollupWorker {

    /**
     * @return events processed, and whether a backlog remains (the caller queues the next job)
     * @throws Exception when the job failed; nothing was committed and running it again is safe
     */
    RollupJobResult runJob(String orgId) throws Exception;
}
