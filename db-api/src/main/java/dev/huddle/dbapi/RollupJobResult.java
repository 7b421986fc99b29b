package dev.huddle.dbapi;

/** What one {@code run_rollup_job} call did: events rolled up, and whether the org has more waiting. */
public record RollupJobResult(int processed, boolean hasMore) {
}
