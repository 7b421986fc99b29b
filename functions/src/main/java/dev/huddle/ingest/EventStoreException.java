package dev.huddle.ingest;

/**
 * The event store failed in a way that is a bug, not an outage (an unexpected SQLState). Answered 500.
 * The message names the SQLState only: database error text may quote the data that was sent.
 */
final class EventStoreException extends RuntimeException {
    private final String sqlState;

    public EventStoreException(String sqlState, Throwable cause) {
        super("event store call failed with SQLState " + sqlState, cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
