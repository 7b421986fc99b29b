package dev.huddle.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.huddle.devservers.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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

    private static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
