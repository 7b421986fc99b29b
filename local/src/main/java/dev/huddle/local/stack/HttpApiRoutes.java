package dev.huddle.local.stack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import dev.huddle.health.HealthConfig;
import dev.huddle.health.HealthHandler;
import dev.huddle.ingest.IngestConfig;
import dev.huddle.ingest.IngestHandler;
import dev.huddle.rollup.AdminRollupsHandler;
import dev.huddle.rollup.RollupConfig;
import dev.huddle.sql.DatabaseRole;
import dev.huddle.local.gateway.LocalFunction;
import dev.huddle.local.gateway.RouteTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes of the product's HTTP API and the functions behind them, as the CDK stack wires them on AWS:
 * one ingest function for the four POST routes (behind the JWT authorizer), one health function (open), and
 * the admin rollups function on {@code GET /api/admin/orgs/{orgId}/rollups} (behind the JWT authorizer).
 */
final class HttpApiRoutes {
    static final List<String> INGEST_PATHS = List.of(
            "/api/client/progress/batch",
            "/api/client/progress/lesson",
            "/api/analytics/events/batch",
            "/api/analytics/events");
    static final String HEALTH_PATH = HealthHandler.PATH;
    /** {@code /api/admin/orgs/{orgId}/rollups}, from the handler's route key. */
    static final String ADMIN_ROLLUPS_PATH = AdminRollupsHandler.ROUTE_KEY.split(" ", 2)[1];
    /** The subject of the priming request: not a learner, so it touches no learner's rate limit. */
    static final String PRIMING_USER = "local-stack-priming";

    final LocalFunction ingest;
    final LocalFunction health;
    final LocalFunction adminRollups;

    HttpApiRoutes(FunctionLogins logins, int concurrency) {
        this.ingest = new LocalFunction("huddle-ingest", LocalFunction.DEFAULT_TIMEOUT, concurrency,
                () -> new IngestHandler(IngestConfig.from(withServerTiming(logins.environment(DatabaseRole.INGEST)))));
        this.health = new LocalFunction("huddle-health", LocalFunction.DEFAULT_TIMEOUT, concurrency,
                () -> new HealthHandler(HealthConfig.from(logins.environment(DatabaseRole.HEALTH))));
        this.adminRollups = new LocalFunction("huddle-admin-rollups", LocalFunction.DEFAULT_TIMEOUT, concurrency,
                () -> new AdminRollupsHandler(RollupConfig.from(logins.environment(DatabaseRole.ADMIN_API))));
    }

    /**
     * The local stack is where the ingest handler's own figures are read (browser devtools, the load test's
     * summary), so its answers carry {@code Server-Timing} unless the environment sets {@code SERVER_TIMING=false};
     * the AWS stack leaves it off (dev.huddle.ingest.ServerTiming says why).
     */
    static Map<String, String> withServerTiming(Map<String, String> environment) {
        Map<String, String> withDefault = new HashMap<>(environment);
        withDefault.putIfAbsent("SERVER_TIMING", "true");
        return withDefault;
    }

    RouteTable routes() {
        RouteTable.Builder routes = RouteTable.builder();
        INGEST_PATHS.forEach(path -> routes.jwt("POST", path, ingest));
        routes.open("GET", HEALTH_PATH, health);
        routes.jwt("GET", ADMIN_ROLLUPS_PATH, adminRollups);
        return routes.build();
    }

    /**
     * Starts one environment of each function and primes it: the ingest function gets a request whose
     * body has no {@code events} (it passes the rate limiter, warming the DynamoDB client, and is refused
     * with 400 before any write); the health function runs its database probe.
     */
    void warmUp() {
        ingest.warmUp(primingEvent("POST", INGEST_PATHS.get(0), "{}",
                Map.of("sub", PRIMING_USER)));
        health.warmUp(primingEvent("GET", HEALTH_PATH, null, null));
    }

    private static APIGatewayV2HTTPEvent primingEvent(String method, String path, String body,
            Map<String, String> claims) {
        String routeKey = method + " " + path;
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "user-agent", "local-stack-priming"))
                .withBody(body)
                .withRequestContext(RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withRequestId("priming")
                        .withTimeEpoch(System.currentTimeMillis())
                        .withHttp(RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1").withUserAgent("local-stack-priming").build())
                        .withAuthorizer(claims == null ? null : RequestContext.Authorizer.builder()
                                .withJwt(RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                                .build())
                        .build())
                .build();
    }
}
