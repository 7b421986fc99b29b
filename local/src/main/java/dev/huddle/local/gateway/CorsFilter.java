package dev.huddle.local.gateway;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * CORS for browser origins that may call the API, as API Gateway's {@code CorsConfiguration} does it for the
 * HTTP API the CDK builds (infra-cdk/src/main/java/dev/huddle/infra/Api.java, the same methods and headers):
 * a preflight from an allowed origin is answered by the front itself, never reaching a route; an actual
 * request from it gets {@code Access-Control-Allow-Origin} and the response headers the browser client reads
 * ({@code Retry-After}, {@code X-Client-Queue-Lag}) exposed. Other origins get no CORS header, so the browser
 * refuses to let their pages read answers.
 */
public final class CorsFilter extends Filter {
    static final String ALLOW_METHODS = "GET, POST, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Client-Queue-Depth";
    static final String EXPOSE_HEADERS = "Retry-After, X-Client-Queue-Lag";
    static final String MAX_AGE_SECONDS = "3600";

    private final Set<String> allowedOrigins;

    public CorsFilter(List<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null || !allowedOrigins.contains(origin)) {
            chain.doFilter(exchange);
            return;
        }
        Headers response = exchange.getResponseHeaders();
        response.set("Access-Control-Allow-Origin", origin);
        response.add("Vary", "Origin");
        boolean preflight = exchange.getRequestMethod().equals("OPTIONS")
                && exchange.getRequestHeaders().containsKey("Access-Control-Request-Method");
        if (!preflight) {
            response.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            response.set("Access-Control-Allow-Methods", ALLOW_METHODS);
            response.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
            response.set("Access-Control-Max-Age", MAX_AGE_SECONDS);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public String description() {
        return "CORS for " + allowedOrigins;
    }
}
