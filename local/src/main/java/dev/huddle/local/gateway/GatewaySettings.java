package dev.huddle.local.gateway;

import java.time.Duration;

/**
 * How the local front listens and what it accepts.
 *
 * @param host interface to bind (127.0.0.1 by default: the stack is for this machine only)
 * @param port TCP port, 0 for a free one
 * @param threads worker threads; also the most execution environments a function gets (its concurrency)
 * @param maxPayloadBytes API Gateway's own request size limit (10 MB for HTTP APIs); the product's much
 *     lower limit is the handler's business
 * @param maxConnections the most open client connections; the front closes connections beyond it at once,
 *     so its file descriptors are bounded whatever the clients do (the JDK server reads this once per JVM,
 *     from the first front started)
 * @param admissionWait how long a request may wait, from its arrival, for a free execution environment
 *     before it is shed with a 503 and Retry-After (Lambda's throttling, with a short grace)
 */
public record GatewaySettings(String host, int port, int threads, int maxPayloadBytes, int maxConnections,
        Duration admissionWait) {
    public static final int API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_THREADS = 64;
    /** See the README's "Limits and overload": with the servers' own, the stack stays under 4,096 descriptors. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000;
    public static final Duration DEFAULT_ADMISSION_WAIT = Duration.ofMillis(10);

    public GatewaySettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be positive: " + maxPayloadBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (admissionWait.isNegative()) {
            throw new IllegalArgumentException("admissionWait must not be negative: " + admissionWait);
        }
    }

    /** With the default connection limit and admission wait. */
    public GatewaySettings(String host, int port, int threads, int maxPayloadBytes) {
        this(host, port, threads, maxPayloadBytes, DEFAULT_MAX_CONNECTIONS, DEFAULT_ADMISSION_WAIT);
    }

    public static GatewaySettings defaults(String host, int port) {
        return new GatewaySettings(host, port, DEFAULT_THREADS, API_GATEWAY_MAX_PAYLOAD_BYTES);
    }
}
