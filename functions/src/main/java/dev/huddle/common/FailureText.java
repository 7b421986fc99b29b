package dev.huddle.common;

/**
 * How a best-effort call (the cold start's warm-up) reports what failed in its log line: the exception's type and
 * message. Only for calls that carry no request data; a request's failure is logged without messages
 * (IngestService.whereItFailed).
 */
public final class FailureText {
    private FailureText() {
    }

    public static String of(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
