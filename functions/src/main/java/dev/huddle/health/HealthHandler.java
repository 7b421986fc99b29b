package dev.huddle.health;

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
        this(Config.fromEnvironment());
    }

    private HealthHandler(Config config) {
        this(new HealthService(PostgresHealthProbe.fromConfig(config), SqsRollupQueueGauge.fromConfig(config),
                LatencyEwma.databaseCalls(), config));
    }

    /** Answers from {@code service}, at most one probe per {@link HealthCache#MAX_AGE} in this container. */
    public HealthHandler(HealthService service) {
        this.answers = new HealthCache(service::check, HealthCache.MAX_AGE, System::nanoTime);
    }

    public static HealthHandler fromConfig(Config config) {
        return new HealthHandler(config);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayAdapter.toResponse(handle(ApiGatewayAdapter.toRequest(event)));
    }

    HttpResponse handle(HttpRequest request) {
        if (!PATH.equals(request.path())) {
            return HttpResponse.error(ErrorCode.NOT_FOUND, "No such route");
        }
        if (!"GET".equalsIgnoreCase(request.method())) {
            return HttpResponse.error(ErrorCode.METHOD_NOT_ALLOWED, "Use GET on this route").withHeader("Allow", "GET");
        }
        return answers.answer();
    }
}
