package dev.huddle.health;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.common.http.ApiGatewayAdapter;
import dev.huddle.common.http.HttpRequest;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.http.Routes;
import dev.huddle.common.observability.LatencyEwma;

/**
 * Lambda entry point for {@code GET /api/health} (no auth). Collaborators are built once per container;
 * answers come from a one-second cache ({@link HealthCache}), so anonymous traffic costs the database at
 * most one probe per second per container.
 */
public final class HealthHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String PATH = "/api/health";

    private final HealthCache answers;

    /** Lambda's constructor: configuration from the environment. */
    public HealthHandler() {
        this(HealthConfig.from(System.getenv()));
    }

    /** The real wiring for a configuration (Lambda, the local stack): the database probe and the queue gauge. */
    public HealthHandler(HealthConfig config) {
        this(new HealthService(PostgresHealthProbe.fromConfig(config), SqsRollupQueueGauge.fromConfig(config),
                LatencyEwma.databaseCalls(), config));
    }

    /** Answers from {@code service}, at most one probe per {@link HealthCache#MAX_AGE} in this container. */
    HealthHandler(HealthService service) {
        this.answers = new HealthCache(service::check, HealthCache.MAX_AGE, System::nanoTime);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayAdapter.toResponse(handle(ApiGatewayAdapter.toRequest(event)));
    }

    HttpResponse handle(HttpRequest request) {
        return Routes.refusal(request, PATH.equals(request.path()), "GET").orElseGet(answers::answer);
    }
}
