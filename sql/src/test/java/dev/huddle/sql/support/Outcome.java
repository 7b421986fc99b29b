package dev.huddle.sql.support;

/** One row returned by a huddle_api batch procedure. */
public record Outcome(int idx, String eventId, String status, String reason) {

    public static Outcome accepted(int idx, String eventId) {
        return new Outcome(idx, eventId, "accepted", null);
    }

    public static Outcome duplicate(int idx, String eventId) {
        return new Outcome(idx, eventId, "duplicate", null);
    }

    public static Outcome rejected(int idx, String eventId, String reason) {
        return new Outcome(idx, eventId, "rejected", reason);
    }
}
