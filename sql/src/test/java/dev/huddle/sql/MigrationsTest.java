package dev.huddle.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.devservers.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

class MigrationsTest {
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    @Test
    void appliesToAnEmptyDatabase_andASecondRunIsANoOp() throws SQLException {
        DataSource db = TestPostgres.newDatabase().dataSource();

        MigrateResult first = Migrations.apply(db);
        MigrateResult second = Migrations.apply(db);

        assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(4);
        assertThat(second.migrationsExecuted).isZero();
        assertThat(tablesIn(db, "huddle")).contains("orgs", "courses", "lessons", "org_memberships",
                "assignments", "user_lesson_progress", "user_course_progress", "client_queue_reports",
                "progress_events", "analytics_events", "progress_events_default", "analytics_events_default",
                "learner_daily_usage");
        assertThat(functionsIn(db, "huddle_api")).contains("upsert_progress_batch", "ingest_analytics_batch",
                "charge_daily_quota");
    }

    @Test
    void createsADailyPartitionForEveryDayOfTheWindow() throws SQLException {
        DataSource db = TestPostgres.newDatabase().dataSource();
        Migrations.apply(db);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        List<String> tables = tablesIn(db, "huddle");
        for (LocalDate day = today.minusDays(31); !day.isAfter(today.plusDays(14)); day = day.plusDays(1)) {
            assertThat(tables).contains("progress_events_p" + DAY.format(day), "analytics_events_p" + DAY.format(day));
        }
        assertThat(tables).doesNotContain("progress_events_p" + DAY.format(today.plusDays(15)));
    }

    @Test
    void ensuringPartitionsAgainCreatesNothing() throws SQLException {
        DataSource db = TestPostgres.newDatabase().dataSource();
        Migrations.apply(db);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        assertThat(ensurePartitions(db, today.minusDays(31), today.plusDays(14))).isZero();
        assertThat(ensurePartitions(db, today.plusDays(15), today.plusDays(16))).isEqualTo(4);
        assertThat(ensurePartitions(db, today.plusDays(15), today.plusDays(16))).isZero();
    }

    @Test
    void creatingAPartitionMovesThatDaysRowsOutOfTheDefaultPartition() throws SQLException {
        DataSource db = TestPostgres.newDatabase().dataSource();
        Migrations.apply(db);
        LocalDate later = LocalDate.now(ZoneOffset.UTC).plusDays(20);
        String occurredAt = later + "T12:00:00Z";
        String nextDay = later.plusDays(1) + "T12:00:00Z";
        execute(db, "INSERT INTO huddle.progress_events (event_id, user_id, org_id, course_id, lesson_id, type,"
                + " progress_percent, time_spent_seconds, occurred_at) VALUES"
                + " ('evt-default-1', 'u1', 'org-1', 'c1', 'l1', 'lesson_progress', 10, 5, '" + occurredAt + "'),"
                + " ('evt-default-2', 'u1', 'org-1', 'c1', 'l1', 'lesson_progress', 10, 5, '" + nextDay + "')");
        execute(db, "INSERT INTO huddle.analytics_events (event_id, user_id, org_id, name, occurred_at) VALUES"
                + " ('evt-default-3', 'u1', 'org-1', 'video_play', '" + occurredAt + "')");

        assertThat(ensurePartitions(db, later, later)).isEqualTo(2);

        assertThat(partitionOf(db, "progress_events", "evt-default-1")).isEqualTo("huddle.progress_events_p" + DAY.format(later));
        assertThat(partitionOf(db, "analytics_events", "evt-default-3")).isEqualTo("huddle.analytics_events_p" + DAY.format(later));
        assertThat(partitionOf(db, "progress_events", "evt-default-2")).isEqualTo("huddle.progress_events_default");
    }

    private static int ensurePartitions(DataSource db, LocalDate from, LocalDate to) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT huddle.ensure_event_partitions(?, ?)")) {
            st.setObject(1, from);
            st.setObject(2, to);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String partitionOf(DataSource db, String table, String eventId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "SELECT tableoid::regclass::text FROM huddle." + table + " WHERE event_id = ?")) {
            st.setString(1, eventId);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("row %s exists", eventId).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static List<String> tablesIn(DataSource db, String schema) throws SQLException {
        return strings(db, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p')", schema);
    }

    private static List<String> functionsIn(DataSource db, String schema) throws SQLException {
        return strings(db, "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = ?", schema);
    }

    private static List<String> strings(DataSource db, String sql, String parameter) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, parameter);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
        }
        return result;
    }

    private static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
