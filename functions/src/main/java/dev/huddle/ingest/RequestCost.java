package dev.huddle.ingest;

/**
 * Where one request's time went, in microseconds, measured by the handler itself ({@link RequestStopwatch}):
 * in-process figures of our code and the calls it waits for, apart from the HTTP front, the emulators and
 * whatever else shares the cores. The phases are wall time and do not add up to {@code total} exactly (the
 * checks before the rate limiter belong to none); {@code cpu} is the handler thread's CPU time over the
 * whole request, so {@code total - cpu} is roughly the time spent waiting (for DynamoDB, PostgreSQL, SQS, or
 * for a core). Writing the log line and the {@code Server-Timing} header come after and are in none.
 *
 * <p>A phase that did not run (a 429 never reaches the database) is {@link #NOT_RUN}: the log line and the
 * {@code Server-Timing} header leave it out rather than show a zero that would pull its percentiles down.
 *
 * @param cpuMicros       the handler thread's CPU time; {@link #NOT_RUN} where the JVM does not measure it
 * @param rateLimitMicros DynamoDB: the token bucket and the daily quota (two calls, summed)
 * @param parseMicros     undoing gzip, the JSON tree, the batch's shape and the userId check
 * @param validateMicros  checking each event against the contract into the store's records
 * @param dbMicros        the one event-store call (the procedure), with waiting for a pooled connection
 * @param fanOutMicros    the rollup fan-out: SQS SendMessageBatch, or next to nothing when the org's job
 *                        was sent in this bucket already
 * @param respondMicros   mapping outcomes back and writing the answer's JSON (or the error's)
 */
record RequestCost(long totalMicros, long cpuMicros, long rateLimitMicros, long parseMicros, long validateMicros,
                   long dbMicros, long fanOutMicros, long respondMicros) {
    static final long NOT_RUN = -1;

    /** One figure by name; {@link #NOT_RUN} for a phase that did not run. */
    long micros(CostFigure figure) {
        return switch (figure) {
            case TOTAL -> totalMicros;
            case CPU -> cpuMicros;
            case RATE_LIMIT -> rateLimitMicros;
            case PARSE -> parseMicros;
            case VALIDATE -> validateMicros;
            case DB -> dbMicros;
            case FAN_OUT -> fanOutMicros;
            case RESPOND -> respondMicros;
        };
    }

    /** {@code totalMicros} in whole milliseconds (the BatchLatency metric). */
    long totalMillis() {
        return totalMicros / 1_000;
    }
}
