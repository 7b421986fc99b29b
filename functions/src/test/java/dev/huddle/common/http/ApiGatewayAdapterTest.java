package dev.huddle.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayAdapterTest {

    @Test
    void takesSubjectFromJwtClaims_only() {
        APIGatewayV2HTTPEvent event = event(Map.of("sub", "learner-0001", "scope", "x"));
        HttpRequest request = ApiGatewayAdapter.toRequest(event);
        assertThat(request.subject()).contains("learner-0001");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/client/progress/batch");
        assertThat(request.requestId()).isEqualTo("req-1");
        assertThat(request.headers().get("content-type")).contains("application/json");
    }

    @Test
    void hasNoSubject_whenAuthorizerIsMissing() {
        APIGatewayV2HTTPEvent event = event(null);
        event.getRequestContext().setAuthorizer(null);
        assertThat(ApiGatewayAdapter.toRequest(event).subject()).isEmpty();
    }

    @Test
    void hasNoSubject_whenSubIsBlank() {
        assertThat(ApiGatewayAdapter.toRequest(event(Map.of("sub", " "))).subject()).isEmpty();
    }

    @Test
    void fallsBackToRouteKey_whenHttpContextIsMissing() {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /api/analytics/events");
        HttpRequest request = ApiGatewayAdapter.toRequest(event);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/analytics/events");
        assertThat(request.subject()).isEmpty();
    }

    @Test
    void carriesTheRouteKeyPathParametersAndQuery_soNoHandlerReadsTheRawEvent() {
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("events/apigw_v2_admin_rollups_valid.json");
        HttpRequest request = ApiGatewayAdapter.toRequest(event);
        assertThat(request.routeKey()).isEqualTo("GET /api/admin/orgs/{orgId}/rollups");
        assertThat(request.pathParameters()).isEqualTo(Map.of("orgId", "org-1"));
        assertThat(request.query()).isEqualTo(Map.of("from", "2026-11-26", "to", "2026-11-28"));
    }

    @Test
    void hasEmptyRouteParameters_whenTheEventHasNone() {
        HttpRequest request = ApiGatewayAdapter.toRequest(new APIGatewayV2HTTPEvent());
        assertThat(request.routeKey()).isEmpty();
        assertThat(request.pathParameters()).isEmpty();
        assertThat(request.query()).isEmpty();
    }

    @Test
    void copiesStatusHeadersAndBody_toTheLambdaResponse() {
        APIGatewayV2HTTPResponse response = ApiGatewayAdapter.toResponse(
                HttpResponse.error(ErrorCode.RATE_LIMITED, "slow").withHeader("Retry-After", "2"));
        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "2");
        assertThat(response.getBody()).contains("rate_limited");
        assertThat(response.getIsBase64Encoded()).isFalse();
    }

    private static APIGatewayV2HTTPEvent event(Map<String, String> claims) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey("POST /api/client/progress/batch")
                .withRawPath("/api/client/progress/batch")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody("{}")
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("req-1")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                                .withPath("/api/client/progress/batch").build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claims).build())
                                .build())
                        .build())
                .build();
    }
}
