package dev.huddle.sql;

import static dev.huddle.sql.support.TestEvents.analytics;
import static dev.huddle.sql.support.TestEvents.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.dbapi.AnalyticsInput;
import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.dbapi.EventStatus;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProcedureInput;
import dev.huddle.dbapi.ProgressInput;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.sql.support.Db;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The daily quota in PostgreSQL (huddle_api.charge_daily_quota, R__api_05): charged through HuddleApi in
 * the same statement as the batch, logged in as huddle_ingest, as the ingest function calls it. One seeded
 * database for the class; every test charges its own org-1 learner. The superuser only looks and sets days.
 */
class DailyQuotaTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final AtomicInteger NEXT_LEARNER = new AtomicInteger();
    private static final String LESSON = "course-101-lesson-01";
    private static final String DENIED = "42501";

    private static TestPostgres.Database database;
    private static DataSource db;
    private static DataSource ingest;

    private final String learner = DemoData.learner(1 + 3 * NEXT_LEARNER.getAndIncrement()).userId();
    private final AtomicInteger nextEvent = new AtomicInteger();

    @BeforeAll
    static void seed() {
        database = Db.seededDatabase();
        db = database.dataSource();
        ingest = database.login(DatabaseRole.INGEST.roleName()).dataSource();
    }

    @Test
    void acceptsRequestsWithinTheQuota_upToItsBoundsInclusive_andAddsUpTheirEventsAndBytes_forProgressAndAnalyticsAlike()
            throws SQLException {
        assertThat(sendProgress(2, 300, 4, 1_000)).extracting(EventStatus::status)
                .containsExactly(EventStatus.Status.ACCEPTED, EventStatus.Status.ACCEPTED);
        assertThat(usage()).containsExactly(today(2, 300));

        assertThat(sendAnalytics(2, 700, 4, 1_000)).extracting(EventStatus::status)
                .containsOnly(EventStatus.Status.ACCEPTED);

        assertThat(usage()).containsExactly(today(4, 1_000));
        assertThat(eventCount()).isEqualTo(4);
    }

    @Test
    void refusesTheRequestThatWouldPassTheEventQuota_andWritesNothing() throws SQLException {
        sendProgress(2, 100, 3, 1_000);

        assertRefused(() -> sendProgress(2, 100, 3, 1_000));
        assertRefused(() -> sendAnalytics(2, 100, 3, 1_000));

        assertThat(usage()).containsExactly(today(2, 100));
        assertThat(eventCount()).isEqualTo(2);
        assertThat(sendAnalytics(1, 100, 3, 1_000)).as("what is left of the quota").hasSize(1);
    }

    @Test
    void refusesTheRequestThatWouldPassTheByteQuota_andWritesNothing() throws SQLException {
        sendAnalytics(1, 600, 100, 1_000);

        assertRefused(() -> sendAnalytics(1, 401, 100, 1_000));
        assertRefused(() -> sendProgress(1, 401, 100, 1_000));

        assertThat(usage()).containsExactly(today(1, 600));
        assertThat(eventCount()).isEqualTo(1);
    }

    @Test
    void refusesARequestAloneOverABound_andLeavesANewLearnerWithoutAUsageRow() throws SQLException {
        assertRefused(() -> sendProgress(4, 10, 3, 1_000));
        assertRefused(() -> sendAnalytics(1, 1_001, 3, 1_000));

        assertThat(usage()).isEmpty();
        assertThat(eventCount()).isZero();
    }

    @Test
    void resetsARowOfAnEarlierDay_withTheNextRequest_whoseChargeStartsTheCountsAgain() throws SQLException {
        sendProgress(3, 900, 4, 1_000);
        Db.execute(db, "UPDATE huddle.learner_daily_usage SET day = day - 1 WHERE user_id = ?", learner);

        sendAnalytics(2, 500, 4, 1_000);

        assertThat(usage()).containsExactly(today(2, 500));
        assertRefused(() -> sendProgress(3, 10, 4, 1_000));
        assertThat(eventCount()).isEqualTo(5);
    }

    /** A transaction that started just before UTC midnight may charge after one that started just after it. */
    @Test
    void keepsARowAlreadyOnTheNextDay_andChargesTheRequestAgainstThatDay_neverSettingItBack() throws SQLException {
        sendProgress(2, 100, 3, 1_000);
        Db.execute(db, "UPDATE huddle.learner_daily_usage SET day = day + 1 WHERE user_id = ?", learner);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

        assertRefused(() -> sendProgress(2, 100, 3, 1_000));
        sendAnalytics(1, 100, 3, 1_000);

        assertThat(usage()).containsExactly("day=" + tomorrow + "|events=3|bytes=200");
    }

    @Test
    void refusesAChargePastAQuotaNearTheIntegerMaximum_ratherThanOverflowingTheSum() throws SQLException {
        charge(Integer.MAX_VALUE - 1, Long.MAX_VALUE - 1);

        assertRefused(() -> charge(2, 0));
        assertRefused(() -> charge(0, 2));

        assertThat(usage()).containsExactly(today(Integer.MAX_VALUE - 1, Long.MAX_VALUE - 1));
    }

    @Test
    void acceptsExactlyTheTenRequestsOfTheQuota_whenTwentyOneEventRequestsArriveAtOnce_andRefusesTheOthers() throws Exception {
        int requests = 20;
        CyclicBarrier start = new CyclicBarrier(requests);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int r = 0; r < requests; r++) {
                boolean asProgress = r % 2 == 0;
                outcomes.add(pool.submit(() -> {
                    try (Connection connection = ingest.getConnection()) {
                        start.await(30, TimeUnit.SECONDS);
                        if (asProgress) {
                            sendProgress(connection, 1, 100, 10, 1_000_000);
                        } else {
                            sendAnalytics(connection, 1, 100, 10, 1_000_000);
                        }
                        return "accepted";
                    } catch (SQLException e) {
                        return e.getSQLState();
                    }
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }

            assertThat(results).filteredOn("accepted"::equals).hasSize(10);
            assertThat(results).filteredOn(DailyQuotaCharge.QUOTA_EXCEEDED_SQLSTATE::equals).hasSize(10);
        } finally {
            pool.shutdownNow();
        }
        assertThat(usage()).containsExactly(today(10, 1_000));
        assertThat(eventCount()).isEqualTo(10);
    }

    @Test
    void theIngestRole_chargesThroughHuddleApi_butCannotReadOrChangeTheUsageTable() throws SQLException {
        assertThat(sendProgress(1, 10, 5, 1_000)).hasSize(1);

        for (String sql : List.of(
                "SELECT * FROM huddle.learner_daily_usage",
                "UPDATE huddle.learner_daily_usage SET events = 0",
                "INSERT INTO huddle.learner_daily_usage VALUES ('" + learner + "', current_date, 0, 0)",
                "DELETE FROM huddle.learner_daily_usage",
                "TRUNCATE huddle.learner_daily_usage")) {
            assertThatThrownBy(() -> {
                try (Connection c = ingest.getConnection(); Statement st = c.createStatement()) {
                    st.execute(sql);
                }
            }).as(sql).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).as("%s: %s", sql, e.getMessage()).isEqualTo(DENIED));
        }
        assertThat(usage()).containsExactly(today(1, 10));
    }

    private List<EventStatus> sendProgress(int events, long bytes, int maxEvents, long maxBytes) throws SQLException {
        try (Connection connection = ingest.getConnection()) {
            return sendProgress(connection, events, bytes, maxEvents, maxBytes);
        }
    }

    /** A batch of {@code events} new progress events, charged {@code events} and {@code bytes}. */
    private List<EventStatus> sendProgress(Connection connection, int events, long bytes, int maxEvents, long maxBytes)
            throws SQLException {
        List<ProgressInput> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            batch.add(progress(newEventId(), LESSON, 10, 1, NOW));
        }
        return HuddleApi.upsertProgressBatch(connection, learner, ProcedureInput.of(batch), null,
                new DailyQuotaCharge(events, bytes, maxEvents, maxBytes));
    }

    private List<EventStatus> sendAnalytics(int events, long bytes, int maxEvents, long maxBytes) throws SQLException {
        try (Connection connection = ingest.getConnection()) {
            return sendAnalytics(connection, events, bytes, maxEvents, maxBytes);
        }
    }

    private List<EventStatus> sendAnalytics(Connection connection, int events, long bytes, int maxEvents, long maxBytes)
            throws SQLException {
        List<AnalyticsInput> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            batch.add(analytics(newEventId(), "app_opened", null, null, NOW));
        }
        return HuddleApi.ingestAnalyticsBatch(connection, learner, batch, null, HuddleApi.DEFAULT_MAX_EVENT_NAMES,
                new DailyQuotaCharge(events, bytes, maxEvents, maxBytes));
    }

    /** A charge with an empty batch, against a quota of the types' maxima. */
    private void charge(int events, long bytes) throws SQLException {
        try (Connection connection = ingest.getConnection()) {
            HuddleApi.ingestAnalyticsBatch(connection, learner, List.of(), null, HuddleApi.DEFAULT_MAX_EVENT_NAMES,
                    new DailyQuotaCharge(events, bytes, Integer.MAX_VALUE, Long.MAX_VALUE));
        }
    }

    private String newEventId() {
        return "quota-" + learner + "-" + nextEvent.incrementAndGet();
    }

    private static void assertRefused(ThrowingCallable request) {
        assertThatThrownBy(request).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                .as(e.getMessage()).isEqualTo(DailyQuotaCharge.QUOTA_EXCEEDED_SQLSTATE));
    }

    private List<String> usage() throws SQLException {
        return Db.rows(db, "SELECT day, events, bytes FROM huddle.learner_daily_usage WHERE user_id = ?", learner);
    }

    private static String today(long events, long bytes) {
        return "day=" + LocalDate.now(ZoneOffset.UTC) + "|events=" + events + "|bytes=" + bytes;
    }

    /** Progress and analytics events of the learner. */
    private long eventCount() throws SQLException {
        return Long.parseLong(Db.value(db, "SELECT (SELECT count(*) FROM huddle.progress_events WHERE user_id = ?)"
                + " + (SELECT count(*) FROM huddle.analytics_events WHERE user_id = ?)", learner, learner));
    }
}
