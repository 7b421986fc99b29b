package dev.huddle.local.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of the HTTP API, matched like API Gateway matches them: method and path, case-sensitive; a
 * route without path variables wins over one with variables, then the first added. A request that matches
 * no route gets API Gateway's 404.
 */
public final class RouteTable {
    /** The route a request matched and the values of its path variables (empty for an exact route). */
    public record Match(Route route, Map<String, String> pathParameters) {
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Match> find(String method, String rawPath) {
        Optional<Match> exact = firstMatch(method, rawPath, true);
        return exact.isPresent() ? exact : firstMatch(method, rawPath, false);
    }

    private Optional<Match> firstMatch(String method, String rawPath, boolean exact) {
        for (Route route : routes) {
            if (route.isExact() == exact) {
                Optional<Map<String, String>> parameters = route.match(method, rawPath);
                if (parameters.isPresent()) {
                    return Optional.of(new Match(route, parameters.get()));
                }
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }

    public static final class Builder {
        private final Map<String, Route> routes = new LinkedHashMap<>();

        /** A route behind the JWT authorizer. */
        public Builder jwt(String method, String path, LocalFunction function) {
            return add(new Route(method, path, function, true));
        }

        /** A route anyone may call (no authorizer). */
        public Builder open(String method, String path, LocalFunction function) {
            return add(new Route(method, path, function, false));
        }

        private Builder add(Route route) {
            if (routes.putIfAbsent(route.routeKey(), route) != null) {
                throw new IllegalArgumentException("duplicate route " + route.routeKey());
            }
            return this;
        }

        public RouteTable build() {
            return new RouteTable(List.copyOf(routes.values()));
        }
    }
}
