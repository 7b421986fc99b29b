package dev.huddle.common.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * Converts between API Gateway HTTP API (payload format 2.0) events and the plain-Java request/response.
 * Claims come only from {@code requestContext.authorizer.jwt.claims}, where the JWT authorizer (or the
 * local stack) put them after verifying the token.
 */
public final class ApiGatewayAdapter {
    private ApiGatewayAdapter() {
    }

    public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String method = null;
        String requestId = null;
        Map<String, String> claims = Map.of();
        if (context != null) {
            requestId = context.getRequestId();
            claims = claimsOf(context);
            if (context.getHttp() != null) {
                method = context.getHttp().getMethod();
            }
        }
        String routeKey = event.getRouteKey();
        if (method == null && routeKey != null && routeKey.contains(" ")) {
            method = routeKey.substring(0, routeKey.indexOf(' '));
        }
        String path = event.getRawPath();
        if (path == null && routeKey != null && routeKey.contains(" ")) {
            path = routeKey.substring(routeKey.indexOf(' ') + 1);
        }
        return new HttpRequest(
                method == null ? "" : method,
                routeKey,
                path == null ? "" : path,
                withoutNulls(event.getPathParameters()),
                withoutNulls(event.getQueryStringParameters()),
                HttpHeaders.of(event.getHeaders()),
                event.getBody(),
                event.getIsBase64Encoded(),
                claims,
                requestId);
    }

    private static Map<String, String> claimsOf(APIGatewayV2HTTPEvent.RequestContext context) {
        if (context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
            return Map.of();
        }
        return withoutNulls(context.getAuthorizer().getJwt().getClaims());
    }

    /** The event's maps may be null or hold null entries; the request's maps hold neither. */
    private static Map<String, String> withoutNulls(Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new HashMap<>();
        map.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    public static APIGatewayV2HTTPResponse toResponse(HttpResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
