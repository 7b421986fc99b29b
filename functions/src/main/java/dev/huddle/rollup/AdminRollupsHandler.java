package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.common.http.ApiGatewayAdapter;
import dev.huddle.common.http.HttpRequest;
import dev.huddle.common.http.HttpResponse;
import dev.huddle.common.http.Routes;

/**
 * Lambda entry point of {@code GET /api/admin/orgs/{orgId}/rollups?from=YYYY-MM-DD&to=YYYY-MM-DD}:
 * adapts the API Gateway event (path parameter, query string, JWT claims) for {@link RollupQueryService}.
 */
public final class AdminRollupsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String ROUTE_KEY = "GET /api/admin/orgs/{orgId}/rollups";

    private final RollupQueryService service;

    /** Lambda's constructor: configuration from the environment. */
    public AdminRollupsHandler() {
        this(RollupConfig.from(System.getenv()));
    }

    /** The real wiring for a configuration (Lambda, the local stack): the reader built once per container. */
    public AdminRollupsHandler(RollupConfig config) {
        this(new RollupQueryService(PostgresRollupReader.fromConfig(config), config.retryAfterSeconds()));
    }

    AdminRollupsHandler(RollupQueryService service) {
        this.service = service;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayAdapter.toResponse(handle(ApiGatewayAdapter.toRequest(event)));
    }

    HttpResponse handle(HttpRequest request) {
        String orgId = request.pathParameters().get("orgId");
        return Routes.refusal(request, orgId != null, "GET").orElseGet(() -> service.handle(
                request.claims(), orgId, request.query().get("from"), request.query().get("to")));
    }
}
