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

    /**
     * Every batch call: the batch procedure of its kind, with the rollup fan-out claim and the daily quota's charge
     * when they are given (sql/src/main/resources/db/migration/R__api_25_ingest_request.sql). One function and not a
     * statement composed here: the connections run without named prepared statements (RDS Proxy would pin them),
     * so a composed statement was parsed and planned on every call, where the function's plan is kept per session.
     * The parameters: kind, user, events, queue depth, max event names, the claim's bucket, then the charge's
     * events, bytes, max events and max bytes.
     */
    private static final String INGEST_REQUEST = "select idx, event_id, status, reason, org_id, rollup_bucket"
            + " from huddle_api.ingest_request(?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)";
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
        return ingestRequest(connection, "progress", userId, events, clientQueueDepth, null, quota, fanOut);
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
        return ingestRequest(connection, "analytics", userId, ProcedureInput.of(events), clientQueueDepth,
                maxEventNames, quota, fanOut);
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

    /** {@code huddle_api.ingest_request}: null {@code maxEventNames}, {@code quota} or {@code fanOut}: none. */
    private static List<EventStatus> ingestRequest(Connection connection, String kind, String userId,
            ProcedureInput<?> events, Integer clientQueueDepth, Integer maxEventNames, DailyQuotaCharge quota,
            RollupFanOutClaim fanOut) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INGEST_REQUEST)) {
            statement.setString(1, kind);
            statement.setString(2, userId);
            statement.setString(3, events.json());
            // setObject with a null value binds a typed null.
            statement.setObject(4, clientQueueDepth, Types.INTEGER);
            statement.setObject(5, maxEventNames, Types.INTEGER);
            statement.setObject(6, fanOut == null ? null : fanOut.bucket(), Types.BIGINT);
            statement.setObject(7, quota == null ? null : quota.events(), Types.INTEGER);
            statement.setObject(8, quota == null ? null : quota.bytes(), Types.BIGINT);
            statement.setObject(9, quota == null ? null : quota.maxEvents(), Types.INTEGER);
            statement.setObject(10, quota == null ? null : quota.maxBytes(), Types.BIGINT);
            return statuses(statement);
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
