package dev.huddle.sql;

import static dev.huddle.sql.support.TestEvents.analytics;
import static dev.huddle.sql.support.TestEvents.completion;
import static dev.huddle.sql.support.TestEvents.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.huddle.dbapi.HuddleApi;
import dev.huddle.dbapi.ProgressInput;
import dev.huddle.dbapi.RollupJobResult;
import dev.huddle.sql.support.Db;
import dev.huddle.sql.support.Procedures;
import dev.huddle.sql.support.Rollups;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** huddle_api.run_rollup_job on the demo data: figures, chunking, position, late commits, plan. */
class RunRollupJobTest {
    private static final Instant TODAY_NOON = LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
    private static final Instant YESTERDAY_NOON = TODAY_NOON.minus(1, ChronoUnit.DAYS);

    @Test
    void rollsUpEventsPerOrgAndDay_andMatchesTheRawTables() throws SQLException {
        DataSource db = Db.seeded();
        Procedures procedures = new Procedures(db);
        // learner-0001 is in org-1: completes all ten lessons of course-101 today, one progress yesterday.
        List<ProgressInput> events = new ArrayList<>();
        for (int lesson = 1; lesson <= 10; lesson++) {
            events.add(completion("c-" + lesson, "course-101-lesson-%02d".formatted(lesson), 60, TODAY_NOON.plusSeconds(lesson)));
        }
        events.add(progress("p-1", "course-102-lesson-01", 40, 30, YESTERDAY_NOON));
        procedures.upsertProgress("learner-0001", events);
        procedures.ingestAnalytics("learner-0004", List.of(analytics("a-1", "app_opened", null, null, TODAY_NOON)));

        assertThat(Rollups.runJob(db, "org-1", 5000)).isEqualTo(new RollupJobResult(12, false));

        assertThat(Db.rows(db, "SELECT day, active_learners, lessons_completed, courses_completed, time_spent_seconds,"
                + " events_total FROM huddle.org_daily_rollups WHERE org_id = 'org-1' ORDER BY day")).containsExactly(
                "day=%s|active_learners=1|lessons_completed=0|courses_completed=0|time_spent_seconds=30|events_total=1"
                        .formatted(YESTERDAY_NOON.atZone(ZoneOffset.UTC).toLocalDate()),
                "day=%s|active_learners=2|lessons_completed=10|courses_completed=1|time_spent_seconds=600|events_total=11"
                        .formatted(TODAY_NOON.atZone(ZoneOffset.UTC).toLocalDate()));
        assertThat(Db.rows(db, "SELECT source, name, count FROM huddle.org_daily_event_counts WHERE org_id = 'org-1'"
                + " AND day = ?::date ORDER BY source, name", TODAY_NOON.atZone(ZoneOffset.UTC).toLocalDate().toString()))
                .containsExactly("source=analytics|name=app_opened|count=1",
                        "source=progress|name=lesson_completed|count=10");
        assertThat(Rollups.mismatches(db)).isEmpty();
    }

    @Test
    void aSecondJobFindsNothingNew_andResentEventsAreNotCountedAgain() throws SQLException {
        DataSource db = Db.seeded();
        Procedures procedures = new Procedures(db);
        List<ProgressInput> batch = List.of(progress("r-1", "course-101-lesson-01", 10, 5, TODAY_NOON));
        procedures.upsertProgress("learner-0007", batch);
        Rollups.runJob(db, "org-1", 5000);

        procedures.upsertProgress("learner-0007", batch);  // a duplicate: not stored again

        assertThat(Rollups.runJob(db, "org-1", 5000)).isEqualTo(new RollupJobResult(0, false));
        assertThat(Rollups.eventsTotal(db)).isEqualTo(1);
    }

    @Test
    void aBacklogIsWorkedOffInChunksOfAtMostMaxEvents_acrossBothTables() throws SQLException {
        DataSource db = Db.seeded();
        Procedures procedures = new Procedures(db);
        for (int batch = 0; batch < 5; batch++) {
            List<ProgressInput> events = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                events.add(progress("b-%d-%d".formatted(batch, i), "course-101-lesson-%02d".formatted(i + 1), i, 3,
                        TODAY_NOON.plusSeconds(batch * 10L + i)));
            }
            procedures.upsertProgress("learner-0010", events);
            procedures.ingestAnalytics("learner-0010", List.of(analytics("ba-" + batch, "tick", null, null,
                    TODAY_NOON.plusSeconds(batch))));
        }

        List<RollupJobResult> jobs = new ArrayList<>();
        RollupJobResult job;
        do {
            job = Rollups.runJob(db, "org-1", 16);
            jobs.add(job);
        } while (job.hasMore());

        assertThat(jobs).extracting(RollupJobResult::processed).containsExactly(16, 16, 16, 7);
        assertThat(Rollups.eventsTotal(db)).isEqualTo(55);
        assertThat(Rollups.mismatches(db)).isEmpty();
    }

    @Test
    void aTransactionThatCommitsLate_isRolledUpAfterItCommits_eventhoughLaterSequenceNumbersWereRolledUp()
            throws SQLException {
        DataSource db = Db.seeded();
        try (Connection late = db.getConnection()) {
            late.setAutoCommit(false);
            // Takes the smaller seq, commits last.
            Procedures.upsertProgress(late, "learner-0013", List.of(progress("late-1", "course-101-lesson-01", 10, 7,
                    TODAY_NOON)), null);
            new Procedures(db).upsertProgress("learner-0016", List.of(progress("early-1", "course-101-lesson-01", 10, 9,
                    TODAY_NOON)));
            long lateSeq = Long.parseLong(Db.value(db, "SELECT max(seq) FROM huddle.progress_events"));

            // The horizon stops at the open transaction: nothing after it is read, so nothing can be skipped.
            assertThat(Rollups.runJob(db, "org-1", 5000)).isEqualTo(new RollupJobResult(0, false));
            assertThat(lateSeq).as("a committed row with a higher seq exists").isPositive();

            late.commit();
        }
        assertThat(Rollups.runJob(db, "org-1", 5000)).isEqualTo(new RollupJobResult(2, false));
        assertThat(Db.rows(db, "SELECT user_id FROM huddle.org_daily_learners ORDER BY user_id"))
                .containsExactly("user_id=learner-0013", "user_id=learner-0016");
        assertThat(Rollups.mismatches(db)).isEmpty();
    }

    @Test
    void aCompletionWhoseDayMovesEarlier_movesInTheRollups() throws SQLException {
        DataSource db = Db.seeded();
        Procedures procedures = new Procedures(db);
        procedures.upsertProgress("learner-0019", List.of(completion("m-1", "course-101-lesson-01", 5, TODAY_NOON)));
        Rollups.runJob(db, "org-1", 5000);
        // An offline client delivers an earlier completion of the same lesson.
        procedures.upsertProgress("learner-0019", List.of(completion("m-0", "course-101-lesson-01", 5, YESTERDAY_NOON)));
        Rollups.runJob(db, "org-1", 5000);

        assertThat(Db.rows(db, "SELECT day, lessons_completed FROM huddle.org_daily_rollups ORDER BY day")).containsExactly(
                "day=%s|lessons_completed=1".formatted(YESTERDAY_NOON.atZone(ZoneOffset.UTC).toLocalDate()),
                "day=%s|lessons_completed=0".formatted(TODAY_NOON.atZone(ZoneOffset.UTC).toLocalDate()));
        assertThat(Rollups.mismatches(db)).isEmpty();
    }

    @Test
    void anUnknownOrg_failsTheJob() {
        DataSource db = Db.seeded();

        assertThatThrownBy(() -> Rollups.runJob(db, "org-unknown", 5000))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("P0002"));
    }

    @Test
    void theChunkIsReadByIndexRangeScans_notByScanningTheTables() throws SQLException {
        DataSource db = Db.seeded();
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("EXPLAIN SELECT ingest_xid, seq FROM huddle.progress_events"
                     + " WHERE org_id = 'org-1' AND (ingest_xid, seq) > ('0'::xid8, 0) AND ingest_xid < '100000'::xid8"
                     + " ORDER BY ingest_xid, seq LIMIT 5001")) {
            c.createStatement().execute("SET enable_seqscan = off");  // tables are empty in the test: force the choice
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("Merge Append").contains("_org_id_ingest_xid_seq_idx")
                    .contains("Index Cond: ((org_id = 'org-1'::text) AND (ROW(ingest_xid, seq) > ROW('0'::xid8, 0))")
                    .doesNotContain("Sort  ");
        }
    }

    @Test
    void theSweepListsOnlyOrgsWithEventsBeyondTheirCursor() throws SQLException {
        DataSource db = Db.seeded();
        Procedures procedures = new Procedures(db);
        procedures.upsertProgress("learner-0001", List.of(progress("s-1", "course-101-lesson-01", 10, 1, TODAY_NOON)));
        procedures.upsertProgress("learner-0002", List.of(progress("s-2", "course-201-lesson-01", 10, 1, TODAY_NOON)));
        Rollups.runJob(db, "org-1", 5000);

        assertThat(Db.rows(db, "SELECT org_id FROM huddle_api.orgs_with_pending_rollups()")).containsExactly("org_id=org-2");
    }

    @Test
    void twoJobsOfTheSameOrgAtOnce_takeTurns_andCountEveryEventOnce() throws Exception {
        DataSource db = Db.seeded();
        Procedures procedures = new Procedures(db);
        for (int i = 0; i < 30; i++) {
            procedures.upsertProgress("learner-0022", List.of(progress("t-" + i, "course-101-lesson-01", i, 2,
                    TODAY_NOON.plusSeconds(i))));
        }
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (Connection first = db.getConnection()) {
            first.setAutoCommit(false);
            assertThat(HuddleApi.runRollupJob(first, "org-1", 20).processed()).isEqualTo(20);
            // The second job blocks on the cursor lock until the first commits, then starts where it ended.
            Future<RollupJobResult> second = other.submit(() -> Rollups.runJob(db, "org-1", 20));
            await("the second job waits on the cursor lock").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10)).until(() -> !Db.value(db, "SELECT count(*) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND wait_event_type = 'Lock'").equals("0"));
            first.commit();
            assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(new RollupJobResult(10, false));
        } finally {
            other.shutdownNow();
        }
        assertThat(Rollups.eventsTotal(db)).isEqualTo(30);
        assertThat(Rollups.mismatches(db)).isEmpty();
    }
}
