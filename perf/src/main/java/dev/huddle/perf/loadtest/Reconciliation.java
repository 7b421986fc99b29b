package dev.huddle.perf.loadtest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Checks that nothing was lost. Every event the generator sent was answered as accepted, duplicate or
 * rejected, or is "not delivered" (no 200 before the drain deadline); the events the generator could not
 * send on time are "dropped" and were never sent. Lost means only: answered as accepted (or duplicate)
 * but not in the database.
 *
 * <p>A duplicate can only be an event of this run whose first write succeeded but whose answer never
 * arrived (event ids are unique per run). A 503 may come after the commit, so an event not delivered may
 * still be stored: those rows are counted by id and set apart, and the rows of the confirmed events are
 * {@code rowsInDatabase - rowsOfUndelivered}, which must equal {@code accepted + duplicates}.
 */
record Reconciliation(long planned, long dropped, long accepted, long duplicates, long rejected, long notDelivered,
        long rowsInDatabase, long rowsOfUndelivered) {
    private static final String COUNT_ROWS = "select (select count(*) from huddle.progress_events where event_id like ?)"
            + " + (select count(*) from huddle.analytics_events where event_id like ?)";
    /**
     * Joined with the ids rather than {@code event_id = any(?)}: that condition is copied into each of the
     * tables' daily partitions, so an overloaded run's ids (163,000 of them, 11 MB) became about a gigabyte of
     * plan, and a parallel plan, which is serialised for its workers, failed with "out of memory".
     */
    private static final String COUNT_IDS = "with ids as materialized (select unnest(?::text[]) as event_id)"
            + " select (select count(*) from huddle.progress_events join ids using (event_id))"
            + " + (select count(*) from huddle.analytics_events join ids using (event_id))";

    static Reconciliation of(long planned, LatencyRecorder.Summary answers, long rowsInDatabase, long rowsOfUndelivered) {
        return new Reconciliation(planned, answers.counts().droppedEvents, answers.accepted(), answers.duplicates(),
                answers.rejected(), answers.notDelivered(), rowsInDatabase, rowsOfUndelivered);
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
            return single(count);
        }
    }

    /** Rows of both event tables with one of these event ids. */
    static long countRows(DataSource database, List<String> eventIds) throws SQLException {
        if (eventIds.isEmpty()) {
            return 0;
        }
        try (Connection connection = database.getConnection();
                PreparedStatement count = connection.prepareStatement(COUNT_IDS)) {
            Array ids = connection.createArrayOf("text", eventIds.toArray());
            count.setArray(1, ids);
            return single(count);
        }
    }

    private static long single(PreparedStatement count) throws SQLException {
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The events the generator sent. */
    long generated() {
        return planned - dropped;
    }

    long expectedRows() {
        return accepted + duplicates;
    }

    /** Events the answers do not account for (should be {@link #notDelivered}). */
    long unaccounted() {
        return generated() - accepted - duplicates - rejected;
    }

    /** Answered as accepted or duplicate but not in the database; negative when rows nobody confirmed appear. */
    long lost() {
        return expectedRows() - (rowsInDatabase - rowsOfUndelivered);
    }

    String describe() {
        return String.format("""
                Reconciliation
                  events planned       %,12d
                  dropped by generator %,12d   (never sent)
                  events sent          %,12d
                  accepted             %,12d
                  duplicates           %,12d   (stored by an attempt whose answer was lost)
                  rejected             %,12d
                  not delivered        %,12d   %s
                  rows in database     %,12d   (of them %,d of events not delivered: a 503 after the commit)
                  rows confirmed       %,12d   (expected accepted + duplicates = %,d)
                  lost                 %,12d   (answered as accepted but not in the database)""",
                planned, dropped, generated(), accepted, duplicates, rejected, notDelivered,
                unaccounted() == notDelivered ? "(sent = accepted + duplicates + rejected + not delivered)"
                        : "(MISMATCH: answers account for " + (generated() - unaccounted()) + ")",
                rowsInDatabase, rowsOfUndelivered, rowsInDatabase - rowsOfUndelivered, expectedRows(), lost());
    }
}
