package dev.huddle.local.gateway;

import java.util.Objects;

/**
 * One route of the HTTP API: {@code "POST /api/client/progress/batch"} → a function, behind the JWT
 * authorizer or open (like {@code GET /api/health}).
 */
public record Route(String method, String path, LocalFunction function, boolean requiresJwt) {
    public Route {
        Objects.requireNonNull(method, "method == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(function, "function == null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
    }

    /** The route key API Gateway puts in the event, e.g. {@code "POST /api/client/progress/batch"}. */
    public String routeKey() {
        return method + " " + path;
    }
}
