package dev.huddle.rollup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.huddle.common.Config;
import dev.huddle.common.DependencyUnavailableException;
import dev.huddle.common.http.ApiGatewayAdapter;
import dev.huddle.common.http.ErrorCode;
import dev.huddle.common.http.HttpRequest;
import dev.huddle.common.http.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda entry point of {@code GET /api/admin/orgs/{orgId}/rollups?from=YYYY-MM-DD&to=YYYY-MM-DD}:
 * adapts the API Gateway event (path parameter, query string, JWT claims) for {@link RollupQueryService}.
 */
public final class AdminRollupsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String ROUTE_KEY = "GET /api/admin/orgs/{orgId}/rollups";
    private static final Pattern PATH = Pattern.compile("/api/admin/orgs/([^/]+)/rollups/?");

    private final RollupQueryService service;
    private final int retryAfterSeconds;

    /** Lambda's constructor: configuration from the environment, the reader built once per container. */
    public AdminRollupsHandler() {
        this(fromConfig(Config.fromEnvironment()));
    }

    private AdminRollupsHandler(AdminRollupsHandler wired) {
        this(wired.service, wired.retryAfterSeconds);
    }

    public AdminRollupsHandler(RollupQueryService service, int retryAfterSeconds) {
        this.service = service;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static AdminRollupsHandler fromConfig(Config config) {
        return new AdminRollupsHandler(new RollupQueryService(PostgresRollupReader.fromConfig(config)),
                config.retryAfterSeconds());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayAdapter.toResponse(handle(event));
    }

    HttpResponse handle(APIGatewayV2HTTPEvent event) {
        HttpRequest request = ApiGatewayAdapter.toRequest(event);
        String orgId = orgIdOf(event, request.path());
        if (orgId == null) {
            return HttpResponse.error(ErrorCode.NOT_FOUND, "No such route");
        }
        if (!"GET".equalsIgnoreCase(request.method())) {
            return HttpResponse.error(ErrorCode.METHOD_NOT_ALLOWED, "Use GET on this route").withHeader("Allow", "GET");
        }
        Map<String, String> query = queryOf(event);
        try {
            return service.handle(request.claims(), orgId, query.get("from"), query.get("to"));
        } catch (DependencyUnavailableException e) {
            return HttpResponse.error(ErrorCode.SERVICE_UNAVAILABLE, "The database is unavailable; retry later")
                    .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
        } catch (RuntimeException e) {
            return HttpResponse.error(ErrorCode.INTERNAL_ERROR, "Internal error");
        }
    }

    /** The {orgId} path parameter, or parsed from the raw path when no route matched it (local stack). */
    private static String orgIdOf(APIGatewayV2HTTPEvent event, String path) {
        if (event.getPathParameters() != null && event.getPathParameters().get("orgId") != null) {
            return event.getPathParameters().get("orgId");
        }
        Matcher m = PATH.matcher(path);
        return m.matches() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
    }

    private static Map<String, String> queryOf(APIGatewayV2HTTPEvent event) {
        if (event.getQueryStringParameters() != null) {
            return event.getQueryStringParameters();
        }
        Map<String, String> query = new HashMap<>();
        String raw = event.getRawQueryString();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }
}
