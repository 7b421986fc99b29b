package dev.huddle.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.devservers.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class DemoDataTest {

    @Test
    void seedsTheContractsDemoData_quickly_andSeedingAgainChangesNothing() throws SQLException {
        DataSource db = TestPostgres.newDatabase().dataSource();
        Migrations.apply(db);

        long start = System.nanoTime();
        DemoData.seed(db);
        Duration firstSeed = Duration.ofNanos(System.nanoTime() - start);
        DemoData.seed(db);

        // Seeding is set-based (demo-data.sql); one round trip per row would put the 50,000 assignments alone
        // past 30 s. The bound catches that regression, not a busy build machine.
        assertThat(firstSeed).as("first seed").isLessThan(Duration.ofSeconds(30));
        assertThat(count(db, "SELECT count(*) FROM huddle.orgs")).isEqualTo(3);
        assertThat(count(db, "SELECT count(*) FROM huddle.courses")).isEqualTo(30);
        assertThat(count(db, "SELECT count(*) FROM huddle.lessons")).isEqualTo(300);
        assertThat(count(db, "SELECT count(*) FROM huddle.org_memberships WHERE role = 'learner'")).isEqualTo(5000);
        assertThat(count(db, "SELECT count(*) FROM huddle.assignments")).isEqualTo(50_000);
        assertThat(count(db, "SELECT count(*) FROM huddle.org_memberships"
                + " WHERE user_id = 'admin-1' AND org_id = 'org-1' AND role = 'admin'")).isEqualTo(1);
    }

    @Test
    void learnerNBelongsToOrgNMinusOneModThreePlusOne_andIsAssignedEveryCourseOfIt() throws SQLException {
        DataSource db = TestPostgres.newDatabase().dataSource();
        Migrations.apply(db);
        DemoData.seed(db);

        assertThat(count(db, "SELECT count(*) FROM huddle.org_memberships WHERE user_id = 'learner-0001' AND org_id = 'org-1'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM huddle.org_memberships WHERE user_id = 'learner-0005' AND org_id = 'org-2'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM huddle.org_memberships WHERE user_id = 'learner-5000' AND org_id = 'org-2'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM huddle.assignments WHERE user_id = 'learner-0003'"
                + " AND org_id = 'org-3' AND course_id BETWEEN 'course-301' AND 'course-310'")).isEqualTo(10);
        assertThat(count(db, "SELECT count(*) FROM huddle.lessons WHERE course_id = 'course-210'"
                + " AND lesson_id BETWEEN 'course-210-lesson-01' AND 'course-210-lesson-10'")).isEqualTo(10);
    }

    @Test
    void theJavaAddressing_namesExactlyTheSeededMembershipsAssignmentsAndLessons() throws SQLException {
        DataSource db = TestPostgres.newDatabase().dataSource();
        Migrations.apply(db);
        DemoData.seed(db);

        assertThat(DemoData.orgIds()).containsExactly("org-1", "org-2", "org-3");
        for (int n : new int[] {1, 2, 3, 4, 2500, DemoData.LEARNERS}) {
            DemoData.Learner learner = DemoData.learner(n);
            Set<String> addressed = new TreeSet<>();
            for (int c = 0; c < DemoData.COURSES_PER_ORG; c++) {
                for (int l = 0; l < DemoData.LESSONS_PER_COURSE; l++) {
                    String course = learner.courseId(c);
                    addressed.add(learner.orgId() + "|" + course + "|" + DemoData.lessonId(course, l));
                }
            }
            assertThat(addressed).as("learner %d", n).isEqualTo(seededLessonsOf(db, learner.userId()));
        }
        assertThatThrownBy(() -> DemoData.learner(DemoData.LEARNERS + 1)).hasMessage("the demo data has learners 1..5000: 5001");
        assertThatThrownBy(() -> DemoData.learner(0)).hasMessage("the demo data has learners 1..5000: 0");
    }

    /** "org|course|lesson" of every lesson the learner is assigned, and only if they are a member of that org. */
    private static Set<String> seededLessonsOf(DataSource db, String userId) throws SQLException {
        Set<String> rows = new TreeSet<>();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("""
                SELECT a.org_id, a.course_id, l.lesson_id FROM huddle.assignments a
                  JOIN huddle.org_memberships m ON m.user_id = a.user_id AND m.org_id = a.org_id AND m.role = 'learner'
                  JOIN huddle.lessons l ON l.course_id = a.course_id
                 WHERE a.user_id = ?""")) {
            st.setString(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
        }
        return rows;
    }

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
