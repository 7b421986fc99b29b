package dev.huddle.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.huddle.common.Json;
import dev.huddle.local.jwt.TestKeys;
import dev.huddle.local.jwt.TokenIssuer;
import dev.huddle.local.jwt.TokenVerifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The front over real HTTP, with a recording function behind every route. */
class ApiGatewayFrontTest {
    private static final int PAYLOAD_LIMIT = 4096;
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(7);
    private static final RecordingHandler handler = new RecordingHandler();
    private static final TokenIssuer issuer = new TokenIssuer(TestKeys.KEY, TestKeys.SETTINGS);
    private static final HttpClient client = HttpClient.newHttpClient();
    private static ApiGatewayFront front;

    @BeforeAll
    static void startFront() {
        LocalFunction ingest = new LocalFunction("test-ingest", FUNCTION_TIMEOUT, 4, () -> handler);
        LocalFunction health = new LocalFunction("test-health", FUNCTION_TIMEOUT, 4, () -> handler);
        LocalFunction admin = new LocalFunction("test-admin", FUNCTION_TIMEOUT, 4, () -> handler);
        RouteTable routes = RouteTable.builder()
                .jwt("POST", "/api/client/progress/batch", ingest)
                .jwt("POST", "/api/analytics/events", ingest)
                .open("GET", "/api/health", health)
                .jwt("GET", "/api/admin/orgs/{orgId}/rollups", admin)
                .build();
        front = ApiGatewayFront.start(new GatewaySettings("127.0.0.1", 0, 4, PAYLOAD_LIMIT), routes,
                new TokenVerifier(TestKeys.KEY, TestKeys.SETTINGS, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterAll
    static void stopFront() {
        front.close();
    }

    @BeforeEach
    void resetHandler() {
        handler.invocations.clear();
        handler.answer = event -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("ok").build();
    }

    @Test
    void servesOnThreadsAboveTheFunctions_withNagleOff() throws Exception {
        front.serveOutsideApi("/thread-priority", exchange -> {
            byte[] priority = Integer.toString(Thread.currentThread().getPriority()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, priority.length);
            exchange.getResponseBody().write(priority);
            exchange.close();
        });

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/thread-priority")).GET());

        assertThat(response.body()).isEqualTo(Integer.toString(ApiGatewayFront.FRONT_PRIORITY))
                .isNotEqualTo(Integer.toString(Thread.NORM_PRIORITY));
        // Headers and body leave as two segments: with Nagle on, the body waited for a delayed ACK.
        assertThat(System.getProperty(ApiGatewayFront.NO_DELAY_PROPERTY)).isEqualTo("true");
    }

    @Test
    void buildsPayloadV2Event_forAuthorizedRoute() throws Exception {
        String token = issuer.issue("learner-0001", Duration.ofHours(1), List.of("org-1"), Instant.now());
        long before = Instant.now().toEpochMilli();

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/client/progress/batch?b=2&a=1&a=x%20y"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("X-Custom", "one")
                .header("X-Custom", "two")
                .header("Cookie", "c1=v1; c2=v2")
                .header("User-Agent", "huddle-test/1.0")
                .POST(BodyPublishers.ofString("{\"events\":[\"é\"]}")));

        assertThat(response.statusCode()).isEqualTo(200);
        RecordingHandler.Invocation invocation = handler.next();
        APIGatewayV2HTTPEvent event = invocation.event();
        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("POST /api/client/progress/batch");
        assertThat(event.getRawPath()).isEqualTo("/api/client/progress/batch");
        assertThat(event.getRawQueryString()).isEqualTo("b=2&a=1&a=x%20y");
        assertThat(event.getQueryStringParameters()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1,x y", "b", "2"));
        assertThat(event.getHeaders())
                .containsEntry("x-custom", "one,two")
                .containsEntry("content-type", "application/json")
                .containsEntry("authorization", "Bearer " + token)
                .containsEntry("user-agent", "huddle-test/1.0")
                .containsEntry("x-forwarded-for", "127.0.0.1")
                .containsEntry("x-forwarded-proto", "http")
                .containsKey("x-amzn-trace-id")
                .doesNotContainKey("cookie")
                .allSatisfy((name, value) -> assertThat(name).isLowerCase());
        assertThat(event.getCookies()).containsExactly("c1=v1", "c2=v2");
        assertThat(event.getBody()).isEqualTo("{\"events\":[\"é\"]}");
        assertThat(event.getIsBase64Encoded()).isFalse();

        var context = event.getRequestContext();
        assertThat(context.getRouteKey()).isEqualTo("POST /api/client/progress/batch");
        assertThat(context.getStage()).isEqualTo("$default");
        assertThat(context.getAccountId()).isNotBlank();
        assertThat(context.getApiId()).isNotBlank();
        assertThat(context.getDomainName()).isEqualTo("127.0.0.1:" + front.port());
        assertThat(context.getRequestId()).hasSize(16).isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(context.getTime()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(context.getTimeEpoch()).isBetween(before, Instant.now().toEpochMilli());
        assertThat(context.getHttp().getMethod()).isEqualTo("POST");
        assertThat(context.getHttp().getPath()).isEqualTo("/api/client/progress/batch");
        assertThat(context.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(context.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(context.getHttp().getUserAgent()).isEqualTo("huddle-test/1.0");

        var jwt = context.getAuthorizer().getJwt();
        assertThat(jwt.getClaims())
                .containsEntry("sub", "learner-0001")
                .containsEntry("iss", TestKeys.SETTINGS.issuer())
                .containsEntry("aud", TestKeys.SETTINGS.audience())
                .containsEntry("scope", "admin:org-1");
        assertThat(jwt.getClaims().get("exp")).matches("\\d{10}");
        assertThat(jwt.getScopes()).as("no route declares authorization scopes").isNull();

        assertThat(invocation.functionName()).isEqualTo("test-ingest");
        assertThat(UUID.fromString(invocation.awsRequestId())).isNotNull();
        assertThat(invocation.remainingMillis()).isPositive().isLessThanOrEqualTo((int) FUNCTION_TIMEOUT.toMillis());
    }

    @Test
    void passesPathParametersAndTemplateRouteKey_forRouteWithPathVariable() throws Exception {
        String token = issuer.issue("admin-1", Duration.ofHours(1), List.of("org-2"), Instant.now());

        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        uri("/api/admin/orgs/org%202/rollups?from=2026-11-01&to=2026-11-28"))
                .header("Authorization", "Bearer " + token)
                .GET());

        assertThat(response.statusCode()).isEqualTo(200);
        RecordingHandler.Invocation invocation = handler.next();
        APIGatewayV2HTTPEvent event = invocation.event();
        assertThat(invocation.functionName()).isEqualTo("test-admin");
        assertThat(event.getRouteKey()).isEqualTo("GET /api/admin/orgs/{orgId}/rollups");
        assertThat(event.getRequestContext().getRouteKey()).isEqualTo("GET /api/admin/orgs/{orgId}/rollups");
        assertThat(event.getRawPath()).isEqualTo("/api/admin/orgs/org%202/rollups");
        assertThat(event.getPathParameters()).containsExactly(Map.entry("orgId", "org 2"));
        assertThat(event.getQueryStringParameters())
                .containsExactlyInAnyOrderEntriesOf(Map.of("from", "2026-11-01", "to", "2026-11-28"));
        assertThat(event.getRequestContext().getAuthorizer().getJwt().getClaims()).containsEntry("scope", "admin:org-2");
    }

    @Test
    void leavesPathParametersNull_onRouteWithoutVariables() throws Exception {
        send(authorized("/api/client/progress/batch").POST(BodyPublishers.ofString("{}")));

        assertThat(handler.next().event().getPathParameters()).isNull();
    }

    @Test
    void runsAuthorizer_onRouteWithPathVariable() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/admin/orgs/org-1/rollups")).GET());

        assertUnauthorized(response, "missing token");
    }

    @Test
    void answersNotFound_whenPathVariableSegmentIsEmptyOrPathIsLonger() throws Exception {
        HttpResponse<String> empty = send(authorized("/api/admin/orgs//rollups").GET());
        HttpResponse<String> longer = send(authorized("/api/admin/orgs/org-1/x/rollups").GET());
        HttpResponse<String> wrongMethod = send(authorized("/api/admin/orgs/org-1/rollups").POST(BodyPublishers.ofString("{}")));

        assertThat(List.of(empty, longer, wrongMethod)).extracting(HttpResponse::statusCode).containsOnly(404);
        assertThat(handler.invocations).isEmpty();
    }

    @Test
    void passesGzipBody_asBase64() throws Exception {
        byte[] gzipped = gzip("{\"events\":[]}");

        HttpResponse<String> response = send(authorized("/api/client/progress/batch")
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(BodyPublishers.ofByteArray(gzipped)));

        assertThat(response.statusCode()).isEqualTo(200);
        APIGatewayV2HTTPEvent event = handler.next().event();
        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(event.getBody())).isEqualTo(gzipped);
        assertThat(event.getHeaders()).containsEntry("content-encoding", "gzip");
    }

    @Test
    void invokesOpenRoute_withoutTokenAndWithoutAuthorizer() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/health")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        RecordingHandler.Invocation invocation = handler.next();
        assertThat(invocation.functionName()).isEqualTo("test-health");
        assertThat(invocation.event().getRouteKey()).isEqualTo("GET /api/health");
        assertThat(invocation.event().getRequestContext().getAuthorizer()).isNull();
        assertThat(invocation.event().getBody()).isNull();
        assertThat(invocation.event().getRawQueryString()).isEmpty();
        assertThat(invocation.event().getQueryStringParameters()).isNull();
        assertThat(invocation.event().getCookies()).isNull();
    }

    @Test
    void refusesMissingToken_with401() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/client/progress/batch"))
                .POST(BodyPublishers.ofString("{}")));

        assertUnauthorized(response, "missing token");
    }

    @Test
    void refusesTokenWithBadSignature_with401() throws Exception {
        String forged = new TokenIssuer(TestKeys.OTHER_KEY, TestKeys.SETTINGS)
                .issue("learner-0001", Duration.ofHours(1), List.of(), Instant.now());

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/client/progress/batch"))
                .header("Authorization", "Bearer " + forged)
                .POST(BodyPublishers.ofString("{}")));

        assertUnauthorized(response, "bad signature");
    }

    @Test
    void refusesExpiredToken_with401() throws Exception {
        String expired = issuer.issue("learner-0001", Duration.ofMinutes(5), List.of(),
                Instant.now().minus(Duration.ofHours(1)));

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/analytics/events"))
                .header("Authorization", "Bearer " + expired)
                .POST(BodyPublishers.ofString("{}")));

        assertUnauthorized(response, "token expired");
    }

    @Test
    void answersNotFound_forUnknownPathOrMethod() throws Exception {
        HttpResponse<String> unknownPath = send(authorized("/api/nope").POST(BodyPublishers.ofString("{}")));
        HttpResponse<String> wrongMethod = send(authorized("/api/client/progress/batch").GET());
        HttpResponse<String> trailingSlash = send(HttpRequest.newBuilder(uri("/api/health/")).GET());

        for (HttpResponse<String> response : List.of(unknownPath, wrongMethod, trailingSlash)) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response.body())).isEqualTo(Json.mapper().valueToTree(Map.of("message", "Not Found")));
        }
        assertThat(handler.invocations).isEmpty();
    }

    @Test
    void refusesPayloadOverGatewayLimit_with413_withoutInvoking() throws Exception {
        byte[] big = new byte[PAYLOAD_LIMIT + 1];

        HttpResponse<String> declared = send(authorized("/api/client/progress/batch")
                .POST(BodyPublishers.ofByteArray(big)));
        HttpResponse<String> chunked = send(authorized("/api/client/progress/batch")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));

        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(json(declared.body()).path("message").asText()).isEqualTo("Request Entity Too Large");
        assertThat(handler.invocations).isEmpty();
    }

    @Test
    void acceptsPayloadAtGatewayLimit() throws Exception {
        HttpResponse<String> response = send(authorized("/api/client/progress/batch")
                .POST(BodyPublishers.ofByteArray(new byte[PAYLOAD_LIMIT])));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void translatesFunctionResponse_headersCookiesAndBase64Body() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xff};
        handler.answer = event -> APIGatewayV2HTTPResponse.builder()
                .withStatusCode(429)
                .withHeaders(Map.of("Retry-After", "2", "Content-Type", "application/octet-stream"))
                .withMultiValueHeaders(Map.of("x-multi", List.of("a", "b")))
                .withCookies(List.of("s=1", "t=2"))
                .withBody(Base64.getEncoder().encodeToString(binary))
                .withIsBase64Encoded(true)
                .build();

        HttpResponse<byte[]> response = client.send(authorized("/api/client/progress/batch")
                .POST(BodyPublishers.ofString("{}")).build(), BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).hasValue("2");
        assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(response.headers().allValues("set-cookie")).containsExactly("s=1", "t=2");
        assertThat(response.body()).isEqualTo(binary);
    }

    @Test
    void answers500_whenFunctionThrows() throws Exception {
        handler.answer = event -> {
            throw new IllegalStateException("secret detail");
        };

        HttpResponse<String> response = send(authorized("/api/client/progress/batch").POST(BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).doesNotContain("secret detail");
        assertThat(json(response.body()).path("message").asText()).isEqualTo("Internal Server Error");
    }

    @Test
    void answers500_whenFunctionReturnsNoStatus() throws Exception {
        handler.answer = event -> new APIGatewayV2HTTPResponse();

        HttpResponse<String> response = send(authorized("/api/client/progress/batch").POST(BodyPublishers.ofString("{}")));

        assertThat(response.statusCode()).isEqualTo(500);
    }

    private static void assertUnauthorized(HttpResponse<String> response, String message) throws Exception {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response.body())).isEqualTo(
                Json.mapper().valueToTree(Map.of("error", "unauthorized", "message", message)));
        assertThat(response.headers().firstValue("www-authenticate")).hasValueSatisfying(
                value -> assertThat(value).contains("invalid_token"));
        assertThat(handler.invocations).isEmpty();
    }

    private static HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization",
                "Bearer " + issuer.issue("learner-0001", Duration.ofHours(1), List.of(), Instant.now()));
    }

    private static URI uri(String pathAndQuery) {
        return URI.create(front.baseUrl() + pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), BodyHandlers.ofString());
    }

    private static JsonNode json(String body) throws Exception {
        return Json.mapper().readTree(body);
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
