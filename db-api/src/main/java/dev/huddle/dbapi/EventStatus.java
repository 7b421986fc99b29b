package dev.huddle.dbapi;

/**
 * One status row of a batch procedure: the element's 0-based position, its event id, whether it was
 * stored, and for a rejection the procedure's reason ({@code no_assignment}, {@code unknown_lesson},
 * {@code too_many_event_names}); {@code orgId} is the event's org when accepted, else null;
 * {@code rollupBucket} is the fan-out bucket this request claimed for that org ({@link RollupFanOutClaim}), null
 * when it claimed none (another request has the bucket, or no claim was asked for).
 */
public record EventStatus(int idx, String eventId, Status status, String reason, String orgId, Long rollupBucket) {

    public enum Status {
        ACCEPTED, DUPLICATE, REJECTED;

        static Status of(String wireName) {
            return switch (wireName) {
                case "accepted" -> ACCEPTED;
                case "duplicate" -> DUPLICATE;
                case "rejected" -> REJECTED;
                default -> throw new IllegalStateException("unknown status from the procedure: " + wireName);
            };
        }
    }
}
