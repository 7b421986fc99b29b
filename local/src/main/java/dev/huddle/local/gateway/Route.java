package dev.huddle.local.gateway;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One route of the HTTP API: {@code "POST /api/client/progress/batch"} → a function, behind the JWT
 * authorizer or open (like {@code GET /api/health}). A path segment in braces is a path variable, as in
 * API Gateway: {@code GET /api/admin/orgs/{orgId}/rollups} matches {@code /api/admin/orgs/org-1/rollups}
 * and passes {@code pathParameters {"orgId": "org-1"}}; a variable matches exactly one non-empty segment.
 */
public record Route(String method, String path, LocalFunction function, boolean requiresJwt) {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    public Route {
        Objects.requireNonNull(method, "method == null");
        Objects.requireNonNull(path, "path == null");
        Objects.requireNonNull(function, "function == null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        for (String segment : segments(path)) {
            if ((segment.contains("{") || segment.contains("}")) && !VARIABLE.matcher(segment).matches()) {
                throw new IllegalArgumentException("a path variable must be a whole segment like {orgId}: " + path);
            }
        }
    }

    /** The route key API Gateway puts in the event, e.g. {@code "GET /api/admin/orgs/{orgId}/rollups"}. */
    public String routeKey() {
        return method + " " + path;
    }

    /** True when the path has no variables (API Gateway prefers such a route over one with variables). */
    public boolean isExact() {
        return !path.contains("{");
    }

    /**
     * The path parameters when this route matches the request's method and raw path (empty map for an exact
     * route); empty when it does not match. Parameter values are percent-decoded, as API Gateway passes them.
     */
    public Optional<Map<String, String>> match(String requestMethod, String rawPath) {
        if (!method.equals(requestMethod)) {
            return Optional.empty();
        }
        if (isExact()) {
            return path.equals(rawPath) ? Optional.of(Map.of()) : Optional.empty();
        }
        List<String> template = segments(path);
        List<String> actual = segments(rawPath);
        if (template.size() != actual.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            var variable = VARIABLE.matcher(template.get(i));
            if (variable.matches()) {
                if (actual.get(i).isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(variable.group(1), decode(actual.get(i)));
            } else if (!template.get(i).equals(actual.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(Map.copyOf(parameters));
    }

    private static List<String> segments(String path) {
        // Limit -1 keeps trailing empty segments: "/a/" has two segments and does not match "/a".
        return List.of(path.substring(1).split("/", -1));
    }

    private static String decode(String segment) {
        try {
            // A '+' in a path is a plus sign, not a space (that rule is for query strings only).
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return segment;
        }
    }
}
