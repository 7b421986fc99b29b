package dev.huddle.local.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to start the stack.
 *
 * @param stateDirectory where the signing key and the embedded database live ({@code .local-stack})
 * @param host interface of the HTTP front
 * @param port port of the HTTP front (0: a free one)
 * @param threads worker threads of the front (the most requests in progress)
 * @param concurrency execution environments per function
 * @param fresh wipe the embedded database first
 * @param background how the rollup worker, the sweep and retention run
 * @param dbLatency null: the functions connect to PostgreSQL directly; otherwise through a
 *     {@link dev.huddle.devservers.LatencyProxy} that adds this latency (zero allowed) and can simulate an
 *     outage ({@link EmulatedStack#databaseProxy()})
 * @param environment the settings: {@code DB_URL}/{@code DB_USER}/{@code DB_PASSWORD} and
 *     {@code DYNAMODB_ENDPOINT} point at external servers, everything else is passed to the functions'
 *     {@link dev.huddle.common.Settings}; the process environment in {@code run}, a map in tests
 */
public record EmulatedStackOptions(Path stateDirectory, String host, int port, int threads, int concurrency,
        boolean fresh, BackgroundSettings background, Duration dbLatency,
        Map<String, String> environment) {
    public EmulatedStackOptions {
        Objects.requireNonNull(stateDirectory, "stateDirectory == null");
        Objects.requireNonNull(host, "host == null");
        Objects.requireNonNull(background, "background == null");
        if (dbLatency != null && dbLatency.isNegative()) {
            throw new IllegalArgumentException("dbLatency must not be negative: " + dbLatency);
        }
        environment = Map.copyOf(environment);
    }

    /** Functions connect to PostgreSQL directly. */
    public EmulatedStackOptions(Path stateDirectory, String host, int port, int threads, int concurrency, boolean fresh,
            BackgroundSettings background, Map<String, String> environment) {
        this(stateDirectory, host, port, threads, concurrency, fresh, background, null, environment);
    }

    /** With the background functions' default settings. */
    public EmulatedStackOptions(Path stateDirectory, String host, int port, int threads, int concurrency, boolean fresh,
            Map<String, String> environment) {
        this(stateDirectory, host, port, threads, concurrency, fresh, BackgroundSettings.defaults(), environment);
    }

    String setting(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
