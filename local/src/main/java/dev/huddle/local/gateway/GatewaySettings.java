package dev.huddle.local.gateway;

/**
 * How the local front listens and what it accepts.
 *
 * @param host interface to bind (127.0.0.1 by default: the stack is for this machine only)
 * @param port TCP port, 0 for a free one
 * @param threads worker threads; also the most execution environments a function gets (its concurrency)
 * @param maxPayloadBytes API Gateway's own request size limit (10 MB for HTTP APIs); the product's much
 *     lower limit is the handler's business
 */
public record GatewaySettings(String host, int port, int threads, int maxPayloadBytes) {
    public static final int API_GATEWAY_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_THREADS = 64;

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
    }

    public static GatewaySettings defaults(String host, int port) {
        return new GatewaySettings(host, port, DEFAULT_THREADS, API_GATEWAY_MAX_PAYLOAD_BYTES);
    }
}
