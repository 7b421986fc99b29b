package dev.huddle.common.http;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as the plain-Java services see it, free of Lambda types.
 *
 * @param routeKey the route API Gateway matched, e.g. {@code "POST /api/client/progress/batch"}, or
 *                 {@code "$default"}; empty when the event named none
 * @param pathParameters the route's path variables, decoded (e.g. {@code orgId}); empty on a route without any
 * @param query the query string parameters, decoded, repeated ones joined with commas (as API Gateway does)
 * @param claims the verified JWT claims (API Gateway's authorizer or the local stack filled them in);
 *               empty when there was no token
 * @param requestId the API Gateway request id, for logs; may be null
 */
public record HttpRequest(
        String method,
        String routeKey,
        String path,
        Map<String, String> pathParameters,
        Map<String, String> query,
        HttpHeaders headers,
        String body,
        boolean base64Encoded,
        Map<String, String> claims,
        String requestId) {

    public HttpRequest {
        Objects.requireNonNull(method, "method == null");
        Objects.requireNonNull(path, "path == null");
        routeKey = routeKey == null ? "" : routeKey;
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? HttpHeaders.empty() : headers;
        claims = claims == null ? Map.of() : Map.copyOf(claims);
    }

    /**
     * The longest {@code sub} taken as a user id. Identity providers use far less (a Cognito sub is a
     * 36-character UUID); it is the rate-limit table's partition key (DynamoDB allows 2,048 bytes) and a
     * key column in PostgreSQL, so a longer one is refused before either is asked.
     */
    public static final int MAX_SUBJECT_CHARS = 256;

    /**
     * The authenticated user id: the JWT {@code sub} claim, never anything from the body; empty when there
     * is none or when it is not 1–{@value #MAX_SUBJECT_CHARS} printable ASCII characters without spaces
     * (UUIDs, "auth0|abc", "google-oauth2|123" all are; control characters and unicode look-alikes are not).
     */
    public Optional<String> subject() {
        String sub = claims.get("sub");
        return isUsableSubject(sub) ? Optional.of(sub) : Optional.empty();
    }

    static boolean isUsableSubject(String sub) {
        if (sub == null || sub.isEmpty() || sub.length() > MAX_SUBJECT_CHARS) {
            return false;
        }
        return sub.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }
}
