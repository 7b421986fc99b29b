package dev.huddle.ingest;

import dev.huddle.common.http.ErrorCode;
import dev.huddle.common.http.RequestRejectedException;
import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.ratelimit.RateLimitConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A learner's daily quota of events and bytes (UTC day; {@code DAILY_QUOTA_EVENTS}, {@code DAILY_QUOTA_BYTES}),
 * so that one account cannot fill the database. The store charges it in the same database statement as the
 * batch (huddle_api.charge_daily_quota, sql/src/main/resources/db/migration/R__api_05_daily_quota.sql): exact
 * across every container, no partial write on refusal, and no round trip of its own. It used to be a second
 * DynamoDB write per request, which doubled the rate limiter's DynamoDB bill and, locally, its latency
 * (docs/PERFORMANCE.md).
 *
 * <p>A request is charged its events as sent (also those the database later rejects) and its decoded body
 * bytes. A request none of whose events passed validation never reaches the database and is not charged:
 * it stores nothing, and the rate limit bounds how often it can come.
 */
final class DailyQuota {
    private final int maxEvents;
    private final long maxBytes;
    private final Clock clock;

    private DailyQuota(int maxEvents, long maxBytes, Clock clock) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** Off (no charge) when either setting is 0 or less: the local stack's tools can turn it off. */
    static DailyQuota from(RateLimitConfig config, Clock clock) {
        return new DailyQuota(config.dailyQuotaEvents(), config.dailyQuotaBytes(), clock);
    }

    /** The charge of a request of {@code events} events and {@code bytes} decoded bytes; null when off. */
    DailyQuotaCharge charge(int events, long bytes) {
        if (maxEvents <= 0 || maxBytes <= 0) {
            return null;
        }
        return new DailyQuotaCharge(events, bytes, maxEvents, maxBytes);
    }

    /** The contract's 429 for a refused charge, with Retry-After up to the next UTC midnight. */
    RequestRejectedException exceeded() {
        Instant now = clock.instant();
        Instant nextDay = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long untilNextDay = Math.max(1, Duration.between(now, nextDay).toSeconds() + 1);
        return new RequestRejectedException(ErrorCode.DAILY_QUOTA_EXCEEDED,
                "The daily quota of events or bytes is used up; retry after the UTC day ends",
                Map.of("Retry-After", Long.toString(untilNextDay)));
    }
}
