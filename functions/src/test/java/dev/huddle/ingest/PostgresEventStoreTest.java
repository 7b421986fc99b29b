package dev.huddle.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.Json;
import dev.huddle.common.db.DatabaseConnection;
import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.devservers.LatencyProxy;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.rollup.RollupJobQueue;
import dev.huddle.sql.DatabaseRole;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PostgresEventStore against real PostgreSQL with the project's migrations and demo data. */
class PostgresEventStoreTest {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofMillis(1_000);
    /**
     * "Fails fast": well inside the ingest Lambda's 10 s timeout, with room for a busy build machine. What
     * ended the call (the SQLState, one connection and no retry) is asserted separately, not read from time.
     */
    private static final Duration FAST = Duration.ofSeconds(8);
    private static IngestDatabase db;

    private final Instant anHourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeAll
    static void createDatabase() throws SQLException {
        db = IngestDatabase.create();
        // The server-side timeout is the login role's setting (no startup option): 1 s in this database. Set
        // before the first login, since a pooler's server connections keep the setting they started with.
        db.setStatementTimeout(DatabaseRole.INGEST, STATEMENT_TIMEOUT);
    }

    @AfterEach
    void closeConnections() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ProgressEvent progress(String eventId, String courseId, String lessonId) {
        return new ProgressEvent(eventId, ProgressEvent.Type.LESSON_PROGRESS, courseId, lessonId,
                new BigDecimal("40"), 60, anHourAgo);
    }

    private PostgresEventStore store(CountingConnections connections, Duration staleAfter) {
        DatabaseConnection database = new DatabaseConnection(connections, staleAfter);
        toClose.add(database);
        return new PostgresEventStore(database);
    }

    /** A store whose calls claim {@code bucket}, later than any bucket of the clock's the other tests claimed. */
    private PostgresEventStore store(CountingConnections connections, long bucket) {
        DatabaseConnection database = new DatabaseConnection(connections, DatabaseConnection.DEFAULT_STALE_AFTER);
        toClose.add(database);
        return new PostgresEventStore(database, PostgresEventStore.DEFAULT_MAX_EVENT_NAMES, () -> bucket);
    }

    private CountingConnections direct(String applicationName) {
        return new CountingConnections(db.factory(STATEMENT_TIMEOUT, applicationName, null));
    }

    private LatencyProxy proxy() {
        LatencyProxy proxy = LatencyProxy.start(db.host(), db.port(), Duration.ZERO);
        toClose.add(proxy);
        return proxy;
    }

    @Test
    void writesEventsAndReturnsTheProcedureStatusPerElement() throws Exception {
        long farFuture = RollupJobQueue.fanOutBuckets(Clock.systemUTC()).getAsLong() * 2;
        PostgresEventStore store = store(direct("huddle-ingest-write"), farFuture);
        List<ProgressEvent> events = List.of(
                progress("it-write-0001", "course-101", "course-101-lesson-01"),
                progress("it-write-0002", "course-201", "course-201-lesson-01"),
                progress("it-write-0003", "course-101", "course-101-lesson-99"),
                progress("it-write-0001", "course-101", "course-101-lesson-01"));

        StoreResult result = store.storeProgress("learner-0001", events, OptionalInt.of(7));
        List<EventOutcome> outcomes = result.outcomes();

        assertThat(outcomes).containsExactlyInAnyOrder(
                EventOutcome.accepted("it-write-0001", 0),
                EventOutcome.rejected("it-write-0002", 1, "no_assignment"),
                EventOutcome.rejected("it-write-0003", 2, "unknown_lesson"),
                EventOutcome.duplicate("it-write-0001", 3));
        assertThat(result.rollupBucketsClaimed()).as("the orgs of accepted events only, claimed for the store's bucket")
                .containsExactly(Map.entry("org-1", farFuture));
        StoreResult retry = store.storeProgress("learner-0001", events.subList(0, 1), OptionalInt.empty());
        assertThat(retry.outcomes()).containsExactly(EventOutcome.duplicate("it-write-0001", 0));
        assertThat(retry.rollupBucketsClaimed()).as("nothing new stored: no job to send").isEmpty();
        assertThat(queryLong("select progress_percent::bigint from huddle.user_lesson_progress"
                + " where user_id = 'learner-0001' and lesson_id = 'course-101-lesson-01'")).isEqualTo(40);
        assertThat(queryLong("select depth from huddle.client_queue_reports where user_id = 'learner-0001'")).isEqualTo(7);
    }

    @Test
    void writesAnalyticsEvents() {
        PostgresEventStore store = store(direct("huddle-ingest-analytics"), DatabaseConnection.DEFAULT_STALE_AFTER);
        ObjectNode properties = Json.mapper().createObjectNode().put("positionSeconds", 42);
        List<AnalyticsEvent> events = List.of(
                new AnalyticsEvent("it-ana-0001", "video_paused", "course-101", "course-101-lesson-02", properties, anHourAgo),
                new AnalyticsEvent("it-ana-0002", "app_opened", null, null, null, anHourAgo));

        assertThat(store.storeAnalytics("learner-0004", events, OptionalInt.empty()).outcomes()).containsExactlyInAnyOrder(
                EventOutcome.accepted("it-ana-0001", 0), EventOutcome.accepted("it-ana-0002", 1));
        assertThat(store.storeAnalytics("learner-0004", events, OptionalInt.empty()).outcomes()).extracting(EventOutcome::status)
                .containsOnly(EventOutcome.Status.DUPLICATE);
    }

    @Test
    void boundsTheDistinctEventNamesPerOrgAndDay_rejectingEventsWithNewNamesOverTheBound() {
        DatabaseConnection database = new DatabaseConnection(direct("huddle-ingest-names"),
                DatabaseConnection.DEFAULT_STALE_AFTER);
        toClose.add(database);
        PostgresEventStore store = new PostgresEventStore(database, 3);
        // Days no other test writes analytics on: the bound counts every learner of the org.
        Instant day = anHourAgo.minus(3, ChronoUnit.DAYS);
        Instant dayBefore = anHourAgo.minus(4, ChronoUnit.DAYS);
        List<AnalyticsEvent> events = List.of(
                new AnalyticsEvent("it-name-0001", "name_d", null, null, null, day),
                new AnalyticsEvent("it-name-0002", "name_a", null, null, null, day),
                new AnalyticsEvent("it-name-0003", "name_c", null, null, null, day),
                new AnalyticsEvent("it-name-0004", "name_b", null, null, null, day),
                new AnalyticsEvent("it-name-0005", "name_a", null, null, null, day),
                new AnalyticsEvent("it-name-0006", "name_d", null, null, null, dayBefore));

        assertThat(store.storeAnalytics("learner-0007", events, OptionalInt.empty()).outcomes()).containsExactlyInAnyOrder(
                EventOutcome.rejected("it-name-0001", 0, "too_many_event_names"),
                EventOutcome.accepted("it-name-0002", 1), EventOutcome.accepted("it-name-0003", 2),
                EventOutcome.accepted("it-name-0004", 3), EventOutcome.accepted("it-name-0005", 4),
                EventOutcome.accepted("it-name-0006", 5));
        // The day's three names stay usable; a fourth stays refused.
        assertThat(store.storeAnalytics("learner-0007", List.of(
                new AnalyticsEvent("it-name-0007", "name_b", null, null, null, day),
                new AnalyticsEvent("it-name-0008", "name_e", null, null, null, day)), OptionalInt.empty()).outcomes())
                .containsExactlyInAnyOrder(EventOutcome.accepted("it-name-0007", 0),
                        EventOutcome.rejected("it-name-0008", 1, "too_many_event_names"));
    }

    @Test
    void usesExactlyOneRoundTripAndOneStatementPerBatch() throws Exception {
        LatencyProxy proxy = proxy();
        CountingConnections connections = new CountingConnections(
                db.factory(STATEMENT_TIMEOUT, "huddle-ingest-trips", proxy.port()));
        PostgresEventStore store = store(connections, DatabaseConnection.DEFAULT_STALE_AFTER);
        // The first call also opens the connection (startup, authentication): measure the calls after it.
        store.storeProgress("learner-0007", List.of(progress("it-trip-0000", "course-101", "course-101-lesson-01")),
                OptionalInt.empty());

        for (int size : new int[] {1, 50, 100}) {
            List<ProgressEvent> batch = IntStream.range(0, size).mapToObj(i -> {
                String course = "course-1%02d".formatted(1 + i % 10);
                return progress("it-trip-" + size + "-" + i, course, course + "-lesson-%02d".formatted(1 + i / 10));
            }).toList();
            int turnsBefore = proxy.clientTurns();
            int executionsBefore = connections.executions.get();

            List<EventOutcome> outcomes = store.storeProgress("learner-0007", batch, OptionalInt.of(size)).outcomes();

            assertThat(outcomes).hasSize(size);
            assertThat(proxy.clientTurns() - turnsBefore).as("network round trips for %d events", size).isEqualTo(1);
            assertThat(connections.executions.get() - executionsBefore).as("statements").isEqualTo(1);
        }
        assertThat(connections.opened.get()).isEqualTo(1);
        assertThat(proxy.connectionsMade()).isEqualTo(1);
    }

    @Test
    void failsFastWithDependencyUnavailable_whenTheProcedureWaitsOnALock() throws Exception {
        CountingConnections connections = direct("huddle-ingest-lock");
        PostgresEventStore store = store(connections, DatabaseConnection.DEFAULT_STALE_AFTER);
        List<ProgressEvent> batch = List.of(progress("it-lock-0001", "course-101", "course-101-lesson-03"));
        try (Connection other = db.dataSource().getConnection()) {
            // Another session holds the (learner, course) advisory lock the procedure takes first.
            lockLearnerCourse(other, "pg_advisory_lock", "learner-0010", "course-101");
            long started = System.nanoTime();

            assertThatThrownBy(() -> store.storeProgress("learner-0010", batch, OptionalInt.empty()))
                    .isInstanceOf(DependencyUnavailableException.class).hasMessageContaining("57014");

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
            lockLearnerCourse(other, "pg_advisory_unlock", "learner-0010", "course-101");
        }
        // A statement timeout leaves the connection usable: the next call reuses it.
        assertThat(store.storeProgress("learner-0010", batch, OptionalInt.empty()).outcomes())
                .containsExactly(EventOutcome.accepted("it-lock-0001", 0));
        assertThat(connections.opened.get()).isEqualTo(1);
    }

    @Test
    void failsFast_whenTheDatabaseStopsAnsweringMidConversation_thenReconnects() throws Exception {
        LatencyProxy proxy = proxy();
        PostgresEventStore store = store(new CountingConnections(
                db.factory(STATEMENT_TIMEOUT, "huddle-ingest-hang", proxy.port())), Duration.ZERO);
        store.storeProgress("learner-0013", List.of(progress("it-hang-0001", "course-101", "course-101-lesson-01")),
                OptionalInt.empty());
        proxy.blackHole(true);
        long started = System.nanoTime();

        assertThatThrownBy(() -> store.storeProgress("learner-0013",
                List.of(progress("it-hang-0002", "course-101", "course-101-lesson-02")), OptionalInt.empty()).outcomes())
                .isInstanceOf(DependencyUnavailableException.class);

        // Socket timeout = statement timeout rounded up to seconds + 1 s; a read timeout is never retried
        // (one connection: a retry would have opened a second).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(FAST);
        assertThat(proxy.connectionsMade()).as("connections (no retry)").isEqualTo(1);
        proxy.blackHole(false);
        proxy.severAll();
        assertThat(store.storeProgress("learner-0013",
                List.of(progress("it-hang-0002", "course-101", "course-101-lesson-02")), OptionalInt.empty()).outcomes())
                .containsExactly(EventOutcome.accepted("it-hang-0002", 0));
        assertThat(proxy.connectionsMade()).isEqualTo(2);
    }

    @Test
    void replacesAConnectionKilledByTheServer_onTheNextCall() throws Exception {
        CountingConnections connections = direct("huddle-ingest-kill");
        PostgresEventStore store = store(connections, Duration.ofHours(1));
        store.storeProgress("learner-0016", List.of(progress("it-kill-0001", "course-101", "course-101-lesson-01")),
                OptionalInt.empty());

        terminateBackendsOf("huddle-ingest-kill");
        if (TestPostgres.pooled()) {
            assertThePoolerAbsorbedTheKill(store, connections, "learner-0016", "it-kill-0002");
            return;
        }

        // Not idle by this store's standard: the failure is reported (nothing written), the connection dropped.
        assertThatThrownBy(() -> store.storeProgress("learner-0016",
                List.of(progress("it-kill-0002", "course-101", "course-101-lesson-02")), OptionalInt.empty()).outcomes())
                .isInstanceOf(DependencyUnavailableException.class);
        assertThat(store.storeProgress("learner-0016",
                List.of(progress("it-kill-0002", "course-101", "course-101-lesson-02")), OptionalInt.empty()).outcomes())
                .containsExactly(EventOutcome.accepted("it-kill-0002", 0));
        assertThat(connections.opened.get()).isEqualTo(2);
    }

    @Test
    void retriesTransparentlyOnAFreshConnection_whenAnIdleConnectionWasKilled() throws Exception {
        CountingConnections connections = direct("huddle-ingest-stale");
        PostgresEventStore store = store(connections, Duration.ZERO);
        store.storeProgress("learner-0019", List.of(progress("it-stale-0001", "course-101", "course-101-lesson-01")),
                OptionalInt.empty());

        terminateBackendsOf("huddle-ingest-stale");
        if (TestPostgres.pooled()) {
            assertThePoolerAbsorbedTheKill(store, connections, "learner-0019", "it-stale-0002");
            return;
        }

        assertThat(store.storeProgress("learner-0019",
                List.of(progress("it-stale-0002", "course-101", "course-101-lesson-02")), OptionalInt.empty()).outcomes())
                .containsExactly(EventOutcome.accepted("it-stale-0002", 0));
        assertThat(connections.opened.get()).isEqualTo(2);
    }

    @Test
    void retriesTransparently_whenTheNetworkCutAnIdleConnection() throws Exception {
        LatencyProxy proxy = proxy();
        PostgresEventStore store = store(new CountingConnections(
                db.factory(STATEMENT_TIMEOUT, "huddle-ingest-nat", proxy.port())), Duration.ZERO);
        store.storeProgress("learner-0022", List.of(progress("it-nat-0001", "course-101", "course-101-lesson-01")),
                OptionalInt.empty());

        proxy.severAll();

        assertThat(store.storeProgress("learner-0022",
                List.of(progress("it-nat-0002", "course-101", "course-101-lesson-02")), OptionalInt.empty()).outcomes())
                .containsExactly(EventOutcome.accepted("it-nat-0002", 0));
        assertThat(proxy.connectionsMade()).isEqualTo(2);
    }

    @Test
    void chargesTheDailyQuotaInTheSameCall_andPastItThrowsDailyQuotaExceeded_withNothingWritten() {
        PostgresEventStore store = store(direct("huddle-ingest-quota"), DatabaseConnection.DEFAULT_STALE_AFTER);
        DailyQuotaCharge twoOfThree = new DailyQuotaCharge(2, 100, 3, 1_000);
        List<ProgressEvent> first = List.of(progress("it-quota-0001", "course-101", "course-101-lesson-01"),
                progress("it-quota-0002", "course-101", "course-101-lesson-02"));
        List<ProgressEvent> second = List.of(progress("it-quota-0003", "course-101", "course-101-lesson-03"),
                progress("it-quota-0004", "course-101", "course-101-lesson-04"));

        assertThat(store.storeProgress("learner-0025", first, OptionalInt.empty(), twoOfThree).outcomes())
                .containsExactly(EventOutcome.accepted("it-quota-0001", 0), EventOutcome.accepted("it-quota-0002", 1));
        assertThatThrownBy(() -> store.storeProgress("learner-0025", second, OptionalInt.empty(), twoOfThree))
                .isInstanceOf(DailyQuotaExceededException.class);
        // Nothing of the refused call was written: the same events, uncharged, are new, not duplicates.
        assertThat(store.storeProgress("learner-0025", second, OptionalInt.empty()).outcomes())
                .containsExactly(EventOutcome.accepted("it-quota-0003", 0), EventOutcome.accepted("it-quota-0004", 1));
    }

    /**
     * Behind PgBouncer (as behind RDS Proxy) the killed session was the pooler's server connection, idle
     * between transactions: the pooler replaces it, and the function's own connection never notices.
     */
    private void assertThePoolerAbsorbedTheKill(PostgresEventStore store, CountingConnections connections,
                                                String learner, String eventId) throws Exception {
        assertThat(store.storeProgress(learner, List.of(progress(eventId, "course-101", "course-101-lesson-02")),
                OptionalInt.empty()).outcomes()).containsExactly(EventOutcome.accepted(eventId, 0));
        assertThat(connections.opened.get()).isEqualTo(1);
    }

    private static void lockLearnerCourse(Connection c, String function, String userId, String courseId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select " + function + "(huddle_api.course_progress_lock_key(?, ?))")) {
            ps.setString(1, userId);
            ps.setString(2, courseId);
            ps.execute();
        }
    }

    /** Kills the sessions of an application name and waits until the server has ended them. */
    private static void terminateBackendsOf(String applicationName) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement kill = c.prepareStatement("select count(pg_terminate_backend(pid)) from pg_stat_activity"
                     + " where application_name = ? and datname = current_database()");
             PreparedStatement alive = c.prepareStatement("select count(*) from pg_stat_activity"
                     + " where application_name = ? and datname = current_database()")) {
            kill.setString(1, applicationName);
            try (ResultSet rs = kill.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("sessions killed").isEqualTo(1);
            }
            alive.setString(1, applicationName);
            await("the server ended the sessions of " + applicationName).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        try (ResultSet rs = alive.executeQuery()) {
                            rs.next();
                            return rs.getLong(1) == 0;
                        }
                    });
        }
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
