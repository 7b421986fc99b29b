package dev.huddle.sql.support;

import dev.huddle.dbapi.EventStatus;
import java.util.Locale;

/** One status row of a huddle_api batch procedure, without the org (the tests check it in the tables). */
public record Outcome(int idx, String eventId, String status, String reason) {

    static Outcome of(EventStatus row) {
        return new Outcome(row.idx(), row.eventId(), row.status().name().toLowerCase(Locale.ROOT), row.reason());
    }

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
