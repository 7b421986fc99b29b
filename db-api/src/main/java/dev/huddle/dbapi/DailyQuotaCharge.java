package dev.huddle.dbapi;

/**
 * What one ingest request adds to its learner's usage of the UTC day, and the quota it must stay within
 * ({@code huddle_api.charge_daily_quota}, sql/src/main/resources/db/migration/R__api_05_daily_quota.sql).
 * {@link HuddleApi} charges it in the same statement as the batch, after the batch: a refusal is an
 * {@link java.sql.SQLException} with {@link #QUOTA_EXCEEDED_SQLSTATE}, and the statement's writes are taken back.
 *
 * @param events the events the request sent
 * @param bytes the request's body, decoded
 * @param maxEvents the events a learner may send per UTC day
 * @param maxBytes the body bytes a learner may send per UTC day
 */
public record DailyQuotaCharge(int events, long bytes, int maxEvents, long maxBytes) {
    /** The SQLSTATE of a refusal: any class the server does not use; 429 for the HTTP answer it becomes. */
    public static final String QUOTA_EXCEEDED_SQLSTATE = "HU429";

    public DailyQuotaCharge {
        if (events < 0 || bytes < 0) {
            throw new IllegalArgumentException("a charge is not negative: " + events + " events, " + bytes + " bytes");
        }
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a quota is positive: " + maxEvents + " events, " + maxBytes + " bytes");
        }
    }
}
