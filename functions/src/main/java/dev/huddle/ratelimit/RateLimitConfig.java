package dev.huddle.ratelimit;

import dev.huddle.common.Settings;

/**
 * The ingest function's limits per learner: the rate ({@link RateLimiters}, in DynamoDB) and the daily quota
 * (charged by the ingest store in the batch's own database statement, dev.huddle.ingest.DailyQuota).
 *
 * @param dailyQuotaEvents a learner's daily quota (UTC day), counted over every ingest request that reached
 *                         the database: ten times a heavy day of real use (a learner posting every 10 s for 8
 *                         hours sends ~3,000 requests), small enough that one account cannot fill the database;
 *                         0 turns the quota off
 */
public record RateLimitConfig(
        double perSecond,
        int burst,
        String table,
        int dailyQuotaEvents,
        long dailyQuotaBytes) {

    public static RateLimitConfig from(Settings s) {
        return new RateLimitConfig(
                s.decimal("RATE_LIMIT_PER_SECOND", 5.0),
                s.integer("RATE_LIMIT_BURST", 10),
                s.text("RATE_LIMIT_TABLE", "huddle-rate-limits"),
                s.integer("DAILY_QUOTA_EVENTS", 50_000),
                s.longInteger("DAILY_QUOTA_BYTES", 50L * 1024 * 1024));
    }
}
