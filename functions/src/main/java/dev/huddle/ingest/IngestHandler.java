package dev.huddle.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.common.Config;
import dev.huddle.common.http.ApiGatewayAdapter;
import dev.huddle.common.http.ErrorCode;
import dev.huddle.common.http.HttpRequest;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.observability.LatencyEwma;
import dev.huddle.common.observability.LogSink;
import dev.huddle.ratelimit.RateLimiter;
import dev.huddle.ratelimit.RateLimiters;
import dev.huddle.rollup.RollupJobQueue;
import java.time.Clock;
import java.util.Optional;

/**
 * Lambda entry point for the four POST ingest routes: adapts the API Gateway HTTP API event, picks the
 * route and hands over to {@link IngestService}. Collaborators are built once per container.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final IngestService service;
    /** Held here because CRaC keeps registered resources only weakly; null outside Lambda. */
    private final IngestPriming snapStartPriming;

    /**
     * Lambda's constructor: configuration from the environment, collaborators built once per container,
     * and the hot path primed before a SnapStart snapshot.
     */
    public IngestHandler() {
        this(Config.fromEnvironment());
    }

    private IngestHandler(Config config) {
        this.service = fromConfig(config).service;
        this.snapStartPriming = IngestPriming.registerFor(config);
    }

    public IngestHandler(IngestService service) {
        this.service = service;
        this.snapStartPriming = null;
    }

    /** The real wiring with the production rate limiter (DynamoDB token bucket). */
    public static IngestHandler fromConfig(Config config) {
        return fromConfig(config, RateLimiters.fromConfig(config));
    }

    /**
     * The real wiring: PostgreSQL store, the rollup job queue when one is configured, stdout telemetry,
     * the container-wide latency average.
     */
    public static IngestHandler fromConfig(Config config, RateLimiter rateLimiter) {
        return new IngestHandler(new IngestService(config, rateLimiter, PostgresEventStore.fromConfig(config),
                RollupJobQueue.fromConfig(config), Clock.systemUTC(), LatencyEwma.databaseCalls(), LogSink.stdout()));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayAdapter.toResponse(handle(event));
    }

    HttpResponse handle(APIGatewayV2HTTPEvent event) {
        HttpRequest request = ApiGatewayAdapter.toRequest(event);
        Optional<IngestRoute> route = routeOf(event.getRouteKey(), request.path());
        if (route.isEmpty()) {
            return HttpResponse.error(ErrorCode.NOT_FOUND, "No such route");
        }
        if (!IngestRoute.METHOD.equalsIgnoreCase(request.method())) {
            return HttpResponse.error(ErrorCode.METHOD_NOT_ALLOWED, "Use POST on this route")
                    .withHeader("Allow", IngestRoute.METHOD);
        }
        return service.handle(route.get(), request);
    }

    /** The route key API Gateway matched (e.g. "POST /api/client/progress/batch"), else the raw path. */
    private static Optional<IngestRoute> routeOf(String routeKey, String rawPath) {
        for (IngestRoute route : IngestRoute.values()) {
            if (route.routeKey().equals(routeKey)) {
                return Optional.of(route);
            }
        }
        return IngestRoute.forPath(rawPath);
    }
}
