package dev.huddle.ingest;

/**
 * The figures of a {@link RequestCost}, with the name each has in the request's log line and in the
 * {@code Server-Timing} header, in the order both list them. {@link #TOTAL} and {@link #CPU} span the whole
 * request; the others are its phases, which {@link RequestStopwatch#lap} times.
 */
enum CostFigure {
    TOTAL("handlerMicros", "total"),
    CPU("handlerCpuMicros", "cpu"),
    RATE_LIMIT("rateLimitMicros", "rateLimit"),
    PARSE("parseMicros", "parse"),
    VALIDATE("validateMicros", "validate"),
    DB("dbMicros", "db"),
    FAN_OUT("fanOutMicros", "fanOut"),
    RESPOND("respondMicros", "respond");

    /** {@code values()} copies its array on every call; the hot path iterates this one. */
    static final CostFigure[] ALL = values();

    final String logName;
    final String serverTimingName;

    CostFigure(String logName, String serverTimingName) {
        this.logName = logName;
        this.serverTimingName = serverTimingName;
    }
}
