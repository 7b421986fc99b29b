package dev.huddle.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * Seeds the contract's local demo data: orgs org-1..org-3, ten courses per org with ten lessons each,
 * learners learner-0001..learner-5000 (learner n in org ((n-1) mod 3)+1, assigned every course of that
 * org) and admin-1, an admin of org-1.
 *
 * <p>The SQL ({@code demo-data.sql} next to this class) is set-based and skips existing rows, so seeding
 * an already seeded database is a cheap no-op. It runs in one transaction: a failure leaves nothing half
 * seeded.
 *
 * <p>{@link #learner(int)} is the one Java addressing of those rows (learner number to user id, org, courses
 * and lessons) for everything that writes events for demo learners: benchmarks, load tests, backfill,
 * tests. DemoDataTest checks it against the seeded tables.
 */
public final class DemoData {
    public static final int LEARNERS = 5_000;
    public static final int ORGS = 3;
    public static final int COURSES_PER_ORG = 10;
    public static final int LESSONS_PER_COURSE = 10;

    private static final String SCRIPT = "demo-data.sql";

    private DemoData() {
    }

    /** Seeds the demo data into a migrated database (see {@link Migrations#apply}). */
    public static void seed(DataSource dataSource) {
        String sql = loadScript();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // pgjdbc sends a parameterless multi-statement script in one round trip.
                statement.execute(sql);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("seeding the demo data failed", e);
        }
    }

    /** Demo learner {@code number} (1..{@value #LEARNERS}). */
    public static Learner learner(int number) {
        return new Learner(number);
    }

    /** The org ids org-1..org-3. */
    public static List<String> orgIds() {
        return IntStream.rangeClosed(1, ORGS).mapToObj(DemoData::orgId).toList();
    }

    /** Lesson {@code index} (0..9) of a demo course: {@code <courseId>-lesson-01}..{@code -10}. */
    public static String lessonId(String courseId, int index) {
        return String.format("%s-lesson-%02d", courseId, index + 1);
    }

    private static String orgId(int org) {
        return "org-" + org;
    }

    /**
     * A learner of the demo data: {@code learner-0001}..{@code learner-5000}; learner n is in org
     * {@code ((n-1) mod 3)+1} and assigned that org's ten courses ({@code course-101}..{@code course-110}
     * for org-1).
     */
    public record Learner(int number) {
        public Learner {
            if (number < 1 || number > LEARNERS) {
                throw new IllegalArgumentException("the demo data has learners 1.." + LEARNERS + ": " + number);
            }
        }

        public String userId() {
            return String.format("learner-%04d", number);
        }

        /** The org's number, 1..3. */
        public int org() {
            return (number - 1) % ORGS + 1;
        }

        public String orgId() {
            return DemoData.orgId(org());
        }

        /** The learner's org's course {@code index} (0..9). */
        public String courseId(int index) {
            return "course-" + (org() * 100 + index + 1);
        }
    }

    private static String loadScript() {
        try (InputStream in = DemoData.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + SCRIPT + " next to DemoData");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + SCRIPT, e);
        }
    }
}
