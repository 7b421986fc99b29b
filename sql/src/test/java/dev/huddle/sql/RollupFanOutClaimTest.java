package dev.huddle.sql;

import static dev.huddle.sql.support.TestEvents.analytics;
import static dev.huddle.sql.support.TestEvents.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.dbapi.DailyQuotaCharge;
import dev.huddle.dbapi.EventStatus;
import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProcedureInput;
import dev.huddle.dbapi.ProgressInput;
import dev.huddle.dbapi.RollupFanOutClaim;
import dev.huddle.devservers.TestPostgres;
import dev.huddle.sql.support.Db;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollup fan-out claim (huddle_api.claim_rollup_fanout, R__api_06, made in the batch's statement by
 * HuddleApi): one request per org and bucket is told to send the org's job, whichever connection (container)
 * it came through. Logged in as huddle_ingest, as the ingest function calls it; a fresh database per test, so
 * every test starts with no claim.
 */
class RollupFanOutClaimTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final AtomicInteger NEXT_EVENT = new AtomicInteger();

    private DataSource db;
    private DataSource ingest;

    @BeforeEach
    void seed() {
        TestPostgres.Database database = Db.seededDatabase();
        db = database.dataSource();
        ingest = database.login(DatabaseRole.INGEST.roleName()).dataSource();
    }

    @Test
    void theFirstRequestOfAnOrgClaimsTheBucket_theOthersOfThatBucketDoNot_andALaterBucketIsClaimedAgain()
            throws SQLException {
        assertThat(claimed(sendProgress(1, 100))).as("the org's first request ever").containsExactly(100L);
        assertThat(claimed(sendProgress(4, 100))).as("another learner of org-1, same bucket").isEmpty();
        assertThat(claimed(sendAnalytics(7, 100))).as("analytics of org-1, same bucket").isEmpty();
        assertThat(claimed(sendProgress(2, 100))).as("org-2 has its own claim").containsExactly(100L);

        assertThat(claimed(sendAnalytics(1, 101))).as("the next bucket").containsExactly(101L);
        assertThat(claimed(sendProgress(1, 99))).as("a container whose clock is behind").isEmpty();

        assertThat(Db.rows(db, "SELECT org_id, bucket FROM huddle.rollup_fanout_claims ORDER BY org_id"))
                .containsExactly("org_id=org-1|bucket=101", "org_id=org-2|bucket=100");
    }

    @Test
    void everyAcceptedEventOfTheClaimedOrgCarriesTheBucket_duplicatesAndRejectionsClaimNothing() throws SQLException {
        String eventId = newEventId();
        List<EventStatus> first = sendProgress(1, 5, eventId, "course-101-lesson-01", "course-101-lesson-99");

        assertThat(first).extracting(EventStatus::status).containsExactly(EventStatus.Status.ACCEPTED,
                EventStatus.Status.REJECTED);
        assertThat(first).extracting(EventStatus::rollupBucket).containsExactly(5L, null);

        List<EventStatus> retry = sendProgress(1, 6, eventId);
        assertThat(retry).extracting(EventStatus::status).containsExactly(EventStatus.Status.DUPLICATE);
        assertThat(claimed(retry)).as("a retry stored nothing new: no job to send").isEmpty();
    }

    @Test
    void aRequestRefusedByTheDailyQuota_takesItsClaimBack() throws SQLException {
        try (Connection connection = ingest.getConnection()) {
            assertThatThrownBy(() -> HuddleApi.upsertProgressBatch(connection, DemoData.learner(1).userId(),
                    ProcedureInput.of(List.of(progress(newEventId(), "course-101-lesson-01", 10, 1, NOW))), null,
                    new DailyQuotaCharge(1, 100, 1, 10), new RollupFanOutClaim(300)))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                            .isEqualTo(DailyQuotaCharge.QUOTA_EXCEEDED_SQLSTATE));
        }

        assertThat(claimed(sendProgress(4, 300))).as("the bucket is still free").containsExactly(300L);
    }

    @Test
    void ofTwentyRequestsOfOneOrgAtOnce_onTwentyConnections_exactlyOneClaimsTheBucket() throws Exception {
        int requests = 20;
        CyclicBarrier start = new CyclicBarrier(requests);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        List<Future<List<Long>>> outcomes = new ArrayList<>();
        try {
            for (int r = 0; r < requests; r++) {
                int learner = 1 + 3 * r;  // all in org-1
                boolean asProgress = r % 2 == 0;
                outcomes.add(pool.submit(() -> {
                    try (Connection connection = ingest.getConnection()) {
                        start.await(30, TimeUnit.SECONDS);
                        return claimed(asProgress ? sendProgress(connection, learner, 400, newEventId())
                                : sendAnalytics(connection, learner, 400));
                    }
                }));
            }
            List<Long> claims = new ArrayList<>();
            for (Future<List<Long>> outcome : outcomes) {
                claims.addAll(outcome.get(60, TimeUnit.SECONDS));
            }

            assertThat(claims).containsExactly(400L);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The buckets a request's status rows carry, once per org. */
    private static List<Long> claimed(List<EventStatus> statuses) {
        return statuses.stream().map(EventStatus::rollupBucket).filter(Objects::nonNull).distinct().toList();
    }

    private List<EventStatus> sendProgress(int learner, long bucket) throws SQLException {
        return sendProgress(learner, bucket, newEventId());
    }

    /** Progress events of {@code learner}, one per lesson given (default: the first lesson of the first course). */
    private List<EventStatus> sendProgress(int learner, long bucket, String eventId, String... lessons)
            throws SQLException {
        try (Connection connection = ingest.getConnection()) {
            return sendProgress(connection, learner, bucket, eventId, lessons);
        }
    }

    private static List<EventStatus> sendProgress(Connection connection, int learner, long bucket, String eventId,
            String... lessons) throws SQLException {
        DemoData.Learner who = DemoData.learner(learner);
        List<String> lessonIds = lessons.length > 0 ? List.of(lessons)
                : List.of(DemoData.lessonId(who.courseId(0), 0));
        List<ProgressInput> batch = new ArrayList<>();
        for (int i = 0; i < lessonIds.size(); i++) {
            batch.add(progress(i == 0 ? eventId : newEventId(), lessonIds.get(i), 10, 1, NOW));
        }
        return HuddleApi.upsertProgressBatch(connection, who.userId(), ProcedureInput.of(batch), null, null,
                new RollupFanOutClaim(bucket));
    }

    private List<EventStatus> sendAnalytics(int learner, long bucket) throws SQLException {
        try (Connection connection = ingest.getConnection()) {
            return sendAnalytics(connection, learner, bucket);
        }
    }

    private static List<EventStatus> sendAnalytics(Connection connection, int learner, long bucket)
            throws SQLException {
        return HuddleApi.ingestAnalyticsBatch(connection, DemoData.learner(learner).userId(),
                List.of(analytics(newEventId(), "app_opened", null, null, NOW)), null,
                HuddleApi.DEFAULT_MAX_EVENT_NAMES, null, new RollupFanOutClaim(bucket));
    }

    private static String newEventId() {
        return "claim-" + NEXT_EVENT.incrementAndGet();
    }
}
