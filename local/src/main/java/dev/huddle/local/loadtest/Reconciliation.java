package dev.huddle.local.loadtest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Checks that nothing was lost: every generated event was answered as accepted, duplicate or rejected
 * (else it was not delivered), and the database holds exactly one row per event it confirmed.
 *
 * <p>A duplicate can only be an event of this run whose first write succeeded but whose answer never
 * arrived (event ids are unique per run), so the expected rows are {@code accepted + duplicates}. Lost
 * events are those not rejected and not in the database: {@code generated - rejected - rows}.
 */
record Reconciliation(long generated, long accepted, long duplicates, long rejected, long notDelivered,
        long rowsInDatabase) {
    private static final String COUNT_ROWS = "select (select count(*) from huddle.progress_events where event_id like ?)"
            + " + (select count(*) from huddle.analytics_events where event_id like ?)";

    static Reconciliation of(long generated, LatencyRecorder.Summary answers, long rowsInDatabase) {
        return new Reconciliation(generated, answers.accepted(), answers.duplicates(), answers.rejected(),
                answers.notDelivered(), rowsInDatabase);
    }

    /** Rows of both event tables whose event id starts with {@code prefix} (letters, digits, '-' only). */
    static long countRows(DataSource database, String prefix) throws SQLException {
        if (!prefix.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("prefix must be letters, digits and '-': " + prefix);
        }
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement(COUNT_ROWS)) {
            count.setString(1, prefix + "%");
            count.setString(2, prefix + "%");
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long expectedRows() {
        return accepted + duplicates;
    }

    /** Events the answers do not account for (should be {@link #notDelivered}). */
    long unaccounted() {
        return generated - accepted - duplicates - rejected;
    }

    /** Events neither refused nor stored; negative when the database has rows nobody confirmed. */
    long lost() {
        return generated - rejected - rowsInDatabase;
    }

    String describe() {
        return String.format("""
                Reconciliation
                  events generated     %,12d
                  accepted             %,12d
                  duplicates           %,12d   (stored by an attempt whose answer was lost)
                  rejected             %,12d
                  not delivered        %,12d   %s
                  rows in database     %,12d   (expected accepted + duplicates = %,d)%s
                  lost                 %,12d""",
                generated, accepted, duplicates, rejected, notDelivered,
                unaccounted() == notDelivered ? "(generated = accepted + duplicates + rejected + not delivered)"
                        : "(MISMATCH: answers account for " + (generated - unaccounted()) + ")",
                rowsInDatabase, expectedRows(),
                rowsInDatabase == expectedRows() ? "" : "   MISMATCH " + (rowsInDatabase - expectedRows()),
                lost());
    }
}
