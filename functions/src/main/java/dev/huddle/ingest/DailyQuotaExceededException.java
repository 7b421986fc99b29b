package dev.huddle.ingest;

/** The store refused a batch because its learner's daily quota would be passed; nothing was written. */
final class DailyQuotaExceededException extends RuntimeException {
    DailyQuotaExceededException(Throwable cause) {
        super("daily quota exceeded", cause, false, false);
    }
}
