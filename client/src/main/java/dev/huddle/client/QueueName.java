package dev.huddle.client;

/** The client's two queues, each with its own batch route and at most one request in flight. */
public enum QueueName {
    PROGRESS("/api/client/progress/batch"),
    ANALYTICS("/api/analytics/events/batch");

    private final String path;

    QueueName(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }

    /** The queue's folder under the client's queue directory. */
    String directoryName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
