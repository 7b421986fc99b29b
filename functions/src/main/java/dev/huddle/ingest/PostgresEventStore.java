package dev.huddle.ingest;

import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.dbapi.AnalyticsInput;
import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.dbapi.EventStatus;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProcedureInput;
import dev.huddle.dbapi.ProgressInput;
import dev.huddle.dbapi.RollupFanOutClaim;
import dev.huddle.rollup.RollupJobQueue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * Writes a batch with exactly ONE round trip: one call of the {@code huddle_api} procedure in autocommit,
 * the events as one JSON array parameter (through {@link HuddleApi}). The procedure is idempotent (keyed by
 * user, eventId, occurredAt), which is what makes the stale-connection retry of {@link DatabaseConnection}
 * safe. The same statement charges the daily quota and claims the rollup fan-out of the orgs it wrote to, in
 * {@link RollupJobQueue}'s buckets. A retry after a lost answer finds its events stored (duplicates, which
 * claim nothing), so the job the first attempt claimed is left to the org's next bucket or the sweep.
 */
public final class PostgresEventStore implements EventStore {
    /** The procedure's own default of p_max_event_names (R__api_20), for stores built without an IngestConfig. */
    static final int DEFAULT_MAX_EVENT_NAMES = HuddleApi.DEFAULT_MAX_EVENT_NAMES;

    private final DatabaseConnection database;
    private final int maxEventNamesPerOrgDay;
    private final LongSupplier fanOutBucket;

    public PostgresEventStore(DatabaseConnection database) {
        this(database, DEFAULT_MAX_EVENT_NAMES);
    }

    public PostgresEventStore(DatabaseConnection database, int maxEventNamesPerOrgDay) {
        this(database, maxEventNamesPerOrgDay, RollupJobQueue.fanOutBuckets(Clock.systemUTC()));
    }

    /** @param fanOutBucket the rollup fan-out bucket each call claims ({@link RollupJobQueue#fanOutBuckets}) */
    public PostgresEventStore(DatabaseConnection database, int maxEventNamesPerOrgDay, LongSupplier fanOutBucket) {
        this.database = database;
        this.maxEventNamesPerOrgDay = maxEventNamesPerOrgDay;
        this.fanOutBucket = fanOutBucket;
    }

    static PostgresEventStore fromConfig(IngestConfig config) {
        return new PostgresEventStore(DatabaseConnection.fromConfig(config.database(), config.aws(),
                config.database().connectTimeout(), config.database().statementTimeout(), "huddle-ingest"),
                config.maxEventNamesPerOrgDay());
    }

    /**
     * Opens the connection and runs a statement shaped like the procedure calls (a prepared statement,
     * parameters bound, rows of an int and a text read) that reads no table and needs no privilege: the login
     * and the driver's statement and result classes are then done before the first request. Best effort
     * ({@link DatabaseConnection#warmUp}).
     *
     * @return empty when the connection is open and warm, else what failed
     */
    Optional<String> warmUp() {
        return database.warmUp(c -> {
            try (PreparedStatement statement = c.prepareStatement("SELECT ?::int AS idx, ?::text AS event_id")) {
                statement.setInt(1, 0);
                statement.setString(2, "warm-up");
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        rows.getInt("idx");
                        rows.getString("event_id");
                    }
                }
            }
            return null;
        });
    }

    @Override
    public StoreResult storeProgress(String userId, List<ProgressEvent> events, OptionalInt clientQueueDepth,
            DailyQuotaCharge quota) {
        List<ProgressInput> inputs = events.stream()
                .map(e -> new ProgressInput(e.eventId(), e.type().wireName(), e.courseId(), e.lessonId(),
                        e.progressPercent(), e.timeSpentSeconds(), e.occurredAt()))
                .toList();
        Integer depth = depth(clientQueueDepth);
        return call(c -> HuddleApi.upsertProgressBatch(c, userId, ProcedureInput.of(inputs), depth, quota,
                fanOutClaim()));
    }

    @Override
    public StoreResult storeAnalytics(String userId, List<AnalyticsEvent> events, OptionalInt clientQueueDepth,
            DailyQuotaCharge quota) {
        List<AnalyticsInput> inputs = events.stream()
                .map(e -> new AnalyticsInput(e.eventId(), e.name(), e.courseId(), e.lessonId(), e.properties(),
                        e.occurredAt()))
                .toList();
        Integer depth = depth(clientQueueDepth);
        return call(c -> HuddleApi.ingestAnalyticsBatch(c, userId, inputs, depth, maxEventNamesPerOrgDay,
                quota, fanOutClaim()));
    }

    private StoreResult call(DatabaseConnection.SqlCall<List<EventStatus>> call) {
        try {
            return result(database.execute(call));
        } catch (SQLException e) {
            if (DailyQuotaCharge.QUOTA_EXCEEDED_SQLSTATE.equals(e.getSQLState())) {
                throw new DailyQuotaExceededException(e);
            }
            throw new EventStoreException(e.getSQLState(), e);
        }
    }

    private RollupFanOutClaim fanOutClaim() {
        return new RollupFanOutClaim(fanOutBucket.getAsLong());
    }

    private static Integer depth(OptionalInt clientQueueDepth) {
        return clientQueueDepth.isPresent() ? clientQueueDepth.getAsInt() : null;
    }

    private static StoreResult result(List<EventStatus> statuses) {
        List<EventOutcome> outcomes = new ArrayList<>();
        Map<String, Long> claimed = new HashMap<>();
        for (EventStatus s : statuses) {
            if (s.rollupBucket() != null) {  // set on the accepted events of the orgs this call claimed
                claimed.put(s.orgId(), s.rollupBucket());
            }
            outcomes.add(switch (s.status()) {
                case ACCEPTED -> EventOutcome.accepted(s.eventId(), s.idx());
                case DUPLICATE -> EventOutcome.duplicate(s.eventId(), s.idx());
                case REJECTED -> EventOutcome.rejected(s.eventId(), s.idx(), s.reason());
            });
        }
        return new StoreResult(outcomes, claimed);
    }
}
