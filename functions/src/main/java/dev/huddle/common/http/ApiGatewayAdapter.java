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
                path == null ? "" : path,
                HttpHeaders.of(event.getHeaders()),
                event.getBody(),
                event.getIsBase64Encoded(),
                claims,
                requestId);
    }

    private static Map<String, String> claimsOf(APIGatewayV2HTTPEvent.RequestContext context) {
        if (context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        Map<String, String> claims = new HashMap<>();
        context.getAuthorizer().getJwt().getClaims().forEach((k, v) -> {
            if (k != null && v != null) {
                claims.put(k, v);
            }
        });
        return claims;
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
