package dev.huddle.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Seeds the contract's local demo data: orgs org-1..org-3, ten courses per org with ten lessons each,
 * learners learner-0001..learner-5000 (learner n in org ((n-1) mod 3)+1, assigned every course of that
 * org) and admin-1, an admin of org-1.
 *
 * <p>The SQL ({@code demo-data.sql} next to this class) is set-based and skips existing rows, so seeding
 * an already seeded database is a cheap no-op. It runs in one transaction: a failure leaves nothing half
 * seeded.
 */
public final class DemoData {
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
