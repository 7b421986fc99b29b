package dev.huddle.ingest;

/** Ends the validation of one event with a reason; control flow only, hence no stack trace. */
final class EventRejected extends RuntimeException {
    private final String reason;

    EventRejected(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
