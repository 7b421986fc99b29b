package dev.huddle.dbapi;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The one Java face of the {@code huddle_api} procedures (sql/src/main/resources/db/migration/R__api_*.sql):
 * it writes a batch procedure's input, calls it, reads its status rows, and runs rollup jobs. The ingest
 * and rollup functions, the benchmarks, backfill and the tests all call the database through here, so a
 * change of a procedure's signature is made in one place.
 *
 * <p>Each batch call is ONE statement on the caller's connection: in autocommit, one round trip. The batch
 * procedures are idempotent (keyed by user, eventId, occurredAt) and a rollup job starts from the committed
 * cursor, which is what makes a retry after a dead connection safe. The statements keep nothing in the session, so they run through RDS Proxy and a
 * transaction-mode pooler without pinning; the connection itself is opened for those poolers by its
 * owner (functions/src/main/java/dev/huddle/common/db/ConnectionFactory.java).
 */
public final class HuddleApi {
    /** The analytics procedure's own default of p_max_event_names (R__api_20). */
    public static final int DEFAULT_MAX_EVENT_NAMES = 1_000;

    /** The statements of each batch procedure, by {@link #variant}: alone, claimed, charged, both. */
    private static final List<String> UPSERT_PROGRESS = batchStatements("huddle_api.upsert_progress_batch(?, ?::jsonb, ?)");
    private static final List<String> INGEST_ANALYTICS =
            batchStatements("huddle_api.ingest_analytics_batch(?, ?::jsonb, ?, ?)");
    private static final String RUN_ROLLUP_JOB = "select processed, has_more from huddle_api.run_rollup_job(?, ?)";

    private HuddleApi() {
    }

    /**
     * {@code upsert_progress_batch}: one status row per event, in input order. {@code clientQueueDepth} is the
     * client's reported queue depth, or null when it sent none.
     */
    public static List<EventStatus> upsertProgressBatch(Connection connection, String userId,
            List<ProgressInput> events, Integer clientQueueDepth) throws SQLException {
        return upsertProgressBatch(connection, userId, ProcedureInput.of(events), clientQueueDepth);
    }

    /** {@code upsert_progress_batch} with input written beforehand. */
    public static List<EventStatus> upsertProgressBatch(Connection connection, String userId,
            ProcedureInput<ProgressInput> events, Integer clientQueueDepth) throws SQLException {
        return upsertProgressBatch(connection, userId, events, clientQueueDepth, null);
    }

    /**
     * {@code upsert_progress_batch} then charging {@code quota} (null: none) in the same statement; a refused
     * charge throws {@link SQLException} with {@link DailyQuotaCharge#QUOTA_EXCEEDED_SQLSTATE}, nothing written.
     */
    public static List<EventStatus> upsertProgressBatch(Connection connection, String userId,
            ProcedureInput<ProgressInput> events, Integer clientQueueDepth, DailyQuotaCharge quota)
            throws SQLException {
        return upsertProgressBatch(connection, userId, events, clientQueueDepth, quota, null);
    }

    /**
     * {@code upsert_progress_batch}, charging {@code quota} and claiming the rollup fan-out {@code fanOut} (each
     * null: none) in the same statement.
     */
    public static List<EventStatus> upsertProgressBatch(Connection connection, String userId,
            ProcedureInput<ProgressInput> events, Integer clientQueueDepth, DailyQuotaCharge quota,
            RollupFanOutClaim fanOut) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_PROGRESS.get(variant(quota, fanOut)))) {
            int next = bindBatch(statement, userId, events, clientQueueDepth);
            bindChargeAndClaim(statement, next, userId, quota, fanOut);
            return statuses(statement);
        }
    }

    /**
     * {@code ingest_analytics_batch}: one status row per event, in input order; {@code maxEventNames} bounds
     * the distinct event names per org and UTC day.
     */
    public static List<EventStatus> ingestAnalyticsBatch(Connection connection, String userId,
            List<AnalyticsInput> events, Integer clientQueueDepth, int maxEventNames) throws SQLException {
        return ingestAnalyticsBatch(connection, userId, events, clientQueueDepth, maxEventNames, null);
    }

    /** {@code ingest_analytics_batch}, then charging {@code quota} (null: none), as for progress. */
    public static List<EventStatus> ingestAnalyticsBatch(Connection connection, String userId,
            List<AnalyticsInput> events, Integer clientQueueDepth, int maxEventNames, DailyQuotaCharge quota)
            throws SQLException {
        return ingestAnalyticsBatch(connection, userId, events, clientQueueDepth, maxEventNames, quota, null);
    }

    /** {@code ingest_analytics_batch}, charging {@code quota} and claiming {@code fanOut} (each null: none). */
    public static List<EventStatus> ingestAnalyticsBatch(Connection connection, String userId,
            List<AnalyticsInput> events, Integer clientQueueDepth, int maxEventNames, DailyQuotaCharge quota,
            RollupFanOutClaim fanOut) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INGEST_ANALYTICS.get(variant(quota, fanOut)))) {
            int next = bindBatch(statement, userId, ProcedureInput.of(events), clientQueueDepth);
            statement.setInt(next, maxEventNames);
            bindChargeAndClaim(statement, next + 1, userId, quota, fanOut);
            return statuses(statement);
        }
    }

    /**
     * One rollup job of {@code orgId}, at most {@code maxEvents} events. On a connection in autocommit the job
     * runs in a transaction of its own, the worker's unit of work (rolled back on failure; autocommit
     * restored). Inside a transaction the caller opened, it joins it and the caller commits: a job holds the
     * org's cursor lock until then, which is how tests make a second job wait.
     */
    public static RollupJobResult runRollupJob(Connection connection, String orgId, int maxEvents)
            throws SQLException {
        if (!connection.getAutoCommit()) {
            return rollupJob(connection, orgId, maxEvents);
        }
        connection.setAutoCommit(false);
        try {
            RollupJobResult result = rollupJob(connection, orgId, maxEvents);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // The connection is broken; its owner drops it.
            }
            throw e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // As above.
            }
        }
    }

    /** Jobs of {@code orgId} until it has nothing left to roll up; answers the events processed. */
    public static long runRollupJobsToCompletion(Connection connection, String orgId, int maxEvents)
            throws SQLException {
        long total = 0;
        RollupJobResult job;
        do {
            job = runRollupJob(connection, orgId, maxEvents);
            total += job.processed();
        } while (job.hasMore());
        return total;
    }

    private static RollupJobResult rollupJob(Connection connection, String orgId, int maxEvents) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RUN_ROLLUP_JOB)) {
            statement.setString(1, orgId);
            statement.setInt(2, maxEvents);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new RollupJobResult(row.getInt("processed"), row.getBoolean("has_more"));
            }
        }
    }

    /** Binds the batch's parameters; answers the next parameter's index. */
    private static int bindBatch(PreparedStatement statement, String userId, ProcedureInput<?> events,
            Integer clientQueueDepth) throws SQLException {
        statement.setString(1, userId);
        statement.setString(2, events.json());
        if (clientQueueDepth == null) {
            statement.setNull(3, Types.INTEGER);
        } else {
            statement.setInt(3, clientQueueDepth);
        }
        return 4;
    }

    /**
     * The statements of one batch procedure: alone, or with the rollup fan-out claim, the daily quota's charge, or
     * both. The claim and the charge read the batch's rows, so they run once the batch has written, and a refused
     * charge (SQLSTATE {@link DailyQuotaCharge#QUOTA_EXCEEDED_SQLSTATE}) ends the statement and takes the batch's
     * writes and the claim back with it. Both come after the batch so that the learner's usage row and the org's
     * claim row are locked only from there to the commit: a learner's progress and analytics requests, sent
     * together, would otherwise wait for each other's whole batch. The parameters: the batch's own, then the
     * claim's bucket, then the charge's user, events, bytes, max events and max bytes.
     */
    private static List<String> batchStatements(String batchCall) {
        List<String> statements = new ArrayList<>();
        for (int variant = 0; variant < 4; variant++) {
            boolean claimed = (variant & 1) != 0;
            boolean charged = (variant & 2) != 0;
            if (!claimed && !charged) {
                statements.add("select idx, event_id, status, reason, org_id, null::bigint as rollup_bucket from "
                        + batchCall);
                continue;
            }
            StringBuilder sql = new StringBuilder("with b as materialized (select * from ").append(batchCall).append(')');
            if (claimed) {
                sql.append(", f as materialized (select * from huddle_api.claim_rollup_fanout(")
                        .append("array(select distinct b.org_id from b where b.org_id is not null), ?))");
            }
            sql.append(" select b.idx, b.event_id, b.status, b.reason, b.org_id, ")
                    .append(claimed ? "f.bucket" : "null::bigint").append(" as rollup_bucket from b");
            if (claimed) {
                sql.append(" left join f on f.org_id = b.org_id");
            }
            if (charged) {
                sql.append(", (select huddle_api.charge_daily_quota(?, ?, ?, ?, ?) from (select count(*) from b)")
                        .append(" as written) as q");
            }
            statements.add(sql.append(" order by b.idx").toString());
        }
        return List.copyOf(statements);
    }

    private static int variant(DailyQuotaCharge quota, RollupFanOutClaim fanOut) {
        return (fanOut != null ? 1 : 0) | (quota != null ? 2 : 0);
    }

    /** Binds the claim's and the charge's parameters from {@code first} on, those there are. */
    private static void bindChargeAndClaim(PreparedStatement statement, int first, String userId,
            DailyQuotaCharge quota, RollupFanOutClaim fanOut) throws SQLException {
        int next = first;
        if (fanOut != null) {
            statement.setLong(next++, fanOut.bucket());
        }
        if (quota != null) {
            statement.setString(next, userId);
            statement.setInt(next + 1, quota.events());
            statement.setLong(next + 2, quota.bytes());
            statement.setInt(next + 3, quota.maxEvents());
            statement.setLong(next + 4, quota.maxBytes());
        }
    }

    private static List<EventStatus> statuses(PreparedStatement statement) throws SQLException {
        List<EventStatus> statuses = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                statuses.add(new EventStatus(rows.getInt("idx"), rows.getString("event_id"),
                        EventStatus.Status.of(rows.getString("status")), rows.getString("reason"),
                        rows.getString("org_id"), rows.getObject("rollup_bucket", Long.class)));
            }
        }
        return statuses;
    }
}
