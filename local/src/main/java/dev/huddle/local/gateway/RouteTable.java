package dev.huddle.local.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes of the HTTP API, matched like API Gateway matches routes without path variables: method and
 * path exactly, case-sensitive. A request that matches no route gets API Gateway's 404.
 */
public final class RouteTable {
    private final Map<String, Route> byKey;

    private RouteTable(Map<String, Route> byKey) {
        this.byKey = Map.copyOf(byKey);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<Route> find(String method, String rawPath) {
        return Optional.ofNullable(byKey.get(method + " " + rawPath));
    }

    public List<Route> routes() {
        return List.copyOf(byKey.values());
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
            return new RouteTable(routes);
        }
    }
}
