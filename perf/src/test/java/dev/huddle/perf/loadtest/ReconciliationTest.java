package dev.huddle.perf.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.devservers.TestPostgres;
import dev.huddle.sql.Migrations;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
    private TestPostgres.Database db;

    @BeforeEach
    void migratedDatabaseWithTheStacksPartitions() throws Exception {
        db = TestPostgres.newDatabase();
        Migrations.apply(db.dataSource());
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            // With a quarter million events the stack's database chose a parallel plan for the count; a few
            // rows never would, so every session of this database is made to plan for parallel workers.
            // (debug_parallel_query since PostgreSQL 16, force_parallel_mode before: HUDDLE_TEST_PG_URL's server)
            String setting = c.getMetaData().getDatabaseMajorVersion() >= 16
                    ? "debug_parallel_query" : "force_parallel_mode";
            st.execute("alter database " + db.name() + " set " + setting + " = on");
            // The window the API accepts, as the local stack creates it: 46 daily partitions per table.
            st.execute("select huddle.ensure_event_partitions(current_date - 31, current_date + 14)");
            st.execute("""
                    insert into huddle.progress_events (event_id, user_id, org_id, course_id, lesson_id, type,
                        progress_percent, time_spent_seconds, occurred_at)
                    values ('run-1-p1', 'u1', 'o1', 'c1', 'l1', 'lesson_progress', 10, 5, now()),
                           ('run-1-p2', 'u1', 'o1', 'c1', 'l1', 'lesson_progress', 20, 5, now() - interval '3 days'),
                           ('run-1-kept', 'u2', 'o1', 'c1', 'l1', 'lesson_progress', 30, 5, now())""");
            st.execute("""
                    insert into huddle.analytics_events (event_id, user_id, org_id, name, occurred_at)
                    values ('run-1-a1', 'u1', 'o1', 'page_view', now()),
                           ('run-1-a2', 'u2', 'o1', 'page_view', now() - interval '10 days')""");
        }
    }

    @Test
    void countRowsByIds_countsTheRowsOfBothTablesWithThoseIds() throws Exception {
        assertThat(Reconciliation.countRows(db.dataSource(), List.of("run-1-p1", "run-1-a2", "run-1-missing")))
                .isEqualTo(2);
        assertThat(Reconciliation.countRows(db.dataSource(), List.of())).isZero();
    }

    @Test
    void countRowsByIds_copesWithTheIdsOfAnOverloadedRun() throws Exception {
        // A --rate 2000 run left 163,000 events not delivered. Compared with "= any(...)", the array was copied
        // into the condition of each of 47 partitions per table, the parallel plan serialised for its workers
        // passed 1 GB ("out of memory"), and the run ended on that error with no summary.
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            ids.add("run-1-undelivered-" + i + "-0123456789abcdef");
        }
        ids.addAll(List.of("run-1-p1", "run-1-p2", "run-1-a1", "run-1-a2"));

        assertThat(Reconciliation.countRows(db.dataSource(), ids)).isEqualTo(4);
        assertThat(Reconciliation.countRows(db.dataSource(), "run-1-")).isEqualTo(5);
    }
}
