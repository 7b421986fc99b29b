package dev.huddle.common.http;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the plain-Java services see it, free of Lambda types.
 *
 * @param claims the verified JWT claims (API Gateway's authorizer or the local stack filled them in);
 *               empty when there was no token
 * @param requestId the API Gateway request id, for logs; may be null
 */
public record HttpRequest(
        String method,
        String path,
        HttpHeaders headers,
        String body,
        boolean base64Encoded,
        Map<String, String> claims,
        String requestId) {

    public HttpRequest {
        Objects.requireNonNull(method, "method == null");
        Objects.requireNonNull(path, "path == null");
        headers = headers == null ? HttpHeaders.empty() : headers;
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    /** The authenticated user id: the JWT {@code sub} claim, never anything from the body. */
    public Optional<String> subject() {
        String sub = claims.get("sub");
        return sub == null || sub.isBlank() ? Optional.empty() : Optional.of(sub);
    }
}
