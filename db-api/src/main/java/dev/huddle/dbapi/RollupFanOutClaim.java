package dev.huddle.dbapi;

/**
 * Asks the batch's statement to claim {@code bucket}'s rollup fan-out for every org it wrote accepted events for
 * ({@code huddle_api.claim_rollup_fanout}, sql/src/main/resources/db/migration/R__api_06_rollup_fanout.sql).
 * Exactly one request per org and bucket gets the claim, whichever container serves it: its status rows carry
 * the bucket ({@link EventStatus#rollupBucket()}), and only that request sends the org's rollup job.
 *
 * @param bucket the caller's current fan-out bucket (functions/.../rollup/RollupJobQueue.java)
 */
public record RollupFanOutClaim(long bucket) {
}
